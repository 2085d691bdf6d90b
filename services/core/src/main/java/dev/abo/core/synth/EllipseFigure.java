package dev.abo.core.synth;

import dev.abo.core.geometry.Box;

/** An axis-aligned ellipse: centre {@code (cx, cy)} and semi-axes {@code rx, ry} in pixels. */
record EllipseFigure(double cx, double cy, double rx, double ry) implements Figure {
    EllipseFigure {
        if (!(rx > 0) || !(ry > 0)) {
            throw new IllegalArgumentException("semi-axes must be positive, got " + rx + ", " + ry);
        }
    }

    /** The ellipse inscribed in a box. */
    static EllipseFigure inscribed(Box b) {
        return new EllipseFigure(b.cx(), b.cy(), b.width() / 2, b.height() / 2);
    }

    @Override
    public Box extent() {
        return new Box(cx - rx, cy - ry, cx + rx, cy + ry);
    }

    @Override
    public boolean rowSpan(double yc, double[] out) {
        double v = (yc - cy) / ry;
        if (v < -1 || v > 1) {
            return false;
        }
        double half = rx * Math.sqrt(1 - v * v);
        out[0] = cx - half;
        out[1] = cx + half;
        return true;
    }
}
