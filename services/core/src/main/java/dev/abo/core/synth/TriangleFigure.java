package dev.abo.core.synth;

import dev.abo.core.geometry.Box;

/** A triangle given by its three vertices in continuous pixel coordinates. */
record TriangleFigure(double ax, double ay, double bx, double by, double cx, double cy) implements Figure {

    /**
     * The isosceles triangle with its base on one side of {@code b} and its apex at the middle of
     * the opposite side: {@code apex} 0 = up, 1 = right, 2 = down, 3 = left.
     */
    static TriangleFigure inBox(Box b, int apex) {
        return switch (apex) {
            case 0 -> new TriangleFigure(b.x1(), b.y2(), b.x2(), b.y2(), b.cx(), b.y1());
            case 1 -> new TriangleFigure(b.x1(), b.y1(), b.x1(), b.y2(), b.x2(), b.cy());
            case 2 -> new TriangleFigure(b.x1(), b.y1(), b.x2(), b.y1(), b.cx(), b.y2());
            case 3 -> new TriangleFigure(b.x2(), b.y1(), b.x2(), b.y2(), b.x1(), b.cy());
            default -> throw new IllegalArgumentException("apex must be 0..3, got " + apex);
        };
    }

    @Override
    public Box extent() {
        return new Box(Math.min(ax, Math.min(bx, cx)), Math.min(ay, Math.min(by, cy)),
                Math.max(ax, Math.max(bx, cx)), Math.max(ay, Math.max(by, cy)));
    }

    @Override
    public boolean rowSpan(double yc, double[] out) {
        out[0] = Double.POSITIVE_INFINITY;
        out[1] = Double.NEGATIVE_INFINITY;
        edge(ax, ay, bx, by, yc, out);
        edge(bx, by, cx, cy, yc, out);
        edge(cx, cy, ax, ay, yc, out);
        return out[0] <= out[1];
    }

    /** Widens {@code out} by where the edge p-q crosses {@code y = yc} (both ends if it lies on it). */
    private static void edge(double px, double py, double qx, double qy, double yc, double[] out) {
        if (yc < Math.min(py, qy) || yc > Math.max(py, qy)) {
            return;
        }
        if (py == qy) {
            out[0] = Math.min(out[0], Math.min(px, qx));
            out[1] = Math.max(out[1], Math.max(px, qx));
            return;
        }
        double x = px + (qx - px) * (yc - py) / (qy - py);
        out[0] = Math.min(out[0], x);
        out[1] = Math.max(out[1], x);
    }
}
