package dev.abo.core.geometry;

/**
 * The YOLOv2 box codec: a box in input pixels as raw network outputs relative to a grid cell and
 * an anchor, and back (paper Sec. 2.1 and 4.1; Redmon and Farhadi, YOLO9000, Sec. 2):
 * <pre>
 *   b_x = (c_x + sigma(t_x)) * stride      b_w = a_w * exp(t_w)
 *   b_y = (c_y + sigma(t_y)) * stride      b_h = a_h * exp(t_h)
 * </pre>
 * where {@code (c_x, c_y)} is the integer cell, {@code stride} the input pixels per cell (32 for
 * YOLOv2), {@code (a_w, a_h)} the anchor in input pixels and {@code (b_x, b_y, b_w, b_h)} the
 * box centre and size in input pixels. {@link #encode} and {@link #decode} are an exact pair.
 *
 * <p>A centre on the cell's left or top border has in-cell offset 0 and encodes to
 * {@code t = -infinity} (offset 1, the right or bottom border, to {@code +infinity}), since the
 * sigmoid only reaches the border in the limit; {@code decode} maps these back exactly. A loss
 * that regresses {@code sigma(t)} to the offset, as YOLOv2 does, should use {@code sigma(t)},
 * which is then exactly 0 or 1.
 */
public final class BoxCodec {
    private BoxCodec() {
    }

    /**
     * The raw outputs {@code (tx, ty, tw, th)} that {@link #decode} maps back to {@code box}.
     *
     * @param box    the box in input pixels; its centre must lie in the closed cell
     *               {@code [cellX, cellX + 1] x [cellY, cellY + 1]} (grid units)
     * @param stride input pixels per cell, positive
     * @param anchor the anchor shape in input pixels
     * @throws IllegalArgumentException when the box has no positive finite size or its centre is
     *                                  outside the cell
     */
    public static BoxDelta encode(Box box, int cellX, int cellY, double stride, Shape anchor) {
        checkStride(stride);
        double w = box.width();
        double h = box.height();
        if (!(w > 0) || !(h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("cannot encode a box without finite positive size: " + box);
        }
        double ox = box.cx() / stride - cellX;
        double oy = box.cy() / stride - cellY;
        if (!(ox >= 0 && ox <= 1 && oy >= 0 && oy <= 1)) {
            throw new IllegalArgumentException("box centre (" + box.cx() + ", " + box.cy() + ") px is not inside cell ("
                    + cellX + ", " + cellY + ") at stride " + stride + ", which spans x [" + cellX * stride + ", "
                    + (cellX + 1) * stride + "] y [" + cellY * stride + ", " + (cellY + 1) * stride + "] px");
        }
        return new BoxDelta(logit(ox), logit(oy), Math.log(w / anchor.w()), Math.log(h / anchor.h()));
    }

    /** The box in input pixels that the raw outputs {@code t} predict for this cell and anchor. */
    public static Box decode(BoxDelta t, int cellX, int cellY, double stride, Shape anchor) {
        checkStride(stride);
        double cx = (cellX + sigmoid(t.tx())) * stride;
        double cy = (cellY + sigmoid(t.ty())) * stride;
        return Box.ofCenter(cx, cy, anchor.w() * Math.exp(t.tw()), anchor.h() * Math.exp(t.th()));
    }

    /**
     * The cell of a {@code gridW x gridH} grid that contains the box centre, i.e.
     * {@code (floor(cx / stride), floor(cy / stride))} clamped to the grid. Cells are half-open,
     * {@code [c, c + 1)} in grid units, so a centre exactly on an interior border belongs to the
     * cell to its right (below); a centre on the far image edge {@code gridW * stride} (or beyond)
     * goes to the last column, one before 0 to the first.
     *
     * @throws IllegalArgumentException for a non-finite centre, a non-positive stride or grid size
     */
    public static GridCell cellOf(Box box, double stride, int gridW, int gridH) {
        checkStride(stride);
        if (gridW <= 0 || gridH <= 0) {
            throw new IllegalArgumentException("grid size must be positive, got " + gridW + "x" + gridH);
        }
        double cx = box.cx();
        double cy = box.cy();
        if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
            throw new IllegalArgumentException("box centre is not finite: " + box);
        }
        return new GridCell(clampedFloor(cx / stride, gridW), clampedFloor(cy / stride, gridH));
    }

    /** The logistic function {@code 1 / (1 + exp(-t))}, evaluated without overflow. */
    public static double sigmoid(double t) {
        if (t >= 0) {
            return 1 / (1 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1 + e);
    }

    /** The inverse of {@link #sigmoid}: {@code log(p / (1 - p))} for {@code p} in {@code [0, 1]}. */
    public static double logit(double p) {
        return Math.log(p) - Math.log1p(-p);
    }

    private static int clampedFloor(double v, int size) {
        return (int) Math.min(Math.max(Math.floor(v), 0), size - 1);
    }

    private static void checkStride(double stride) {
        if (!(stride > 0) || !Double.isFinite(stride)) {
            throw new IllegalArgumentException("stride must be finite and positive, got " + stride);
        }
    }
}
