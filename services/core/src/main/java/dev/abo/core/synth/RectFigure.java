package dev.abo.core.synth;

import dev.abo.core.geometry.Box;

/** An axis-aligned rectangle with continuous pixel corners. */
record RectFigure(Box box) implements Figure {
    RectFigure {
        if (!(box.width() > 0) || !(box.height() > 0)) {
            throw new IllegalArgumentException("rectangle must have positive size, got " + box);
        }
    }

    @Override
    public Box extent() {
        return box;
    }

    @Override
    public boolean rowSpan(double yc, double[] out) {
        if (yc < box.y1() || yc > box.y2()) {
            return false;
        }
        out[0] = box.x1();
        out[1] = box.x2();
        return true;
    }
}
