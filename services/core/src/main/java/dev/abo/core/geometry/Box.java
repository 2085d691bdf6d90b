package dev.abo.core.geometry;

/**
 * An axis-aligned box in continuous pixel corners {@code (x1, y1, x2, y2)} of one image.
 *
 * <p>This is the only box format of the domain (see DESIGN.md "Conventions"): no +1 pixel
 * convention, no grid units. A box is plain data; {@link #validate(double, double)} says whether it
 * is a usable ground-truth box for an image of a given size.
 */
public record Box(double x1, double y1, double x2, double y2) {

    /** A box from its centre and size. */
    public static Box ofCenter(double cx, double cy, double w, double h) {
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    /** A box from its top-left corner and size (the COCO {@code [x, y, w, h]} form). */
    public static Box ofCornerSize(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double cx() {
        return (x1 + x2) / 2;
    }

    public double cy() {
        return (y1 + y2) / 2;
    }

    /** Area; 0 for an empty or inverted box. */
    public double area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    /** The box's shape (width, height), position dropped. */
    public Shape shape() {
        return new Shape(width(), height());
    }

    /** This box scaled by independent factors along x and y (about the origin). */
    public Box scale(double sx, double sy) {
        return new Box(x1 * sx, y1 * sy, x2 * sx, y2 * sy);
    }

    /** This box shifted by (dx, dy). */
    public Box translate(double dx, double dy) {
        return new Box(x1 + dx, y1 + dy, x2 + dx, y2 + dy);
    }

    /** This box clipped to {@code [0, width] x [0, height]}. */
    public Box clip(double width, double height) {
        return new Box(clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height));
    }

    private static double clamp(double v, double max) {
        return Math.min(Math.max(v, 0), max);
    }

    /**
     * Why this box is not a valid ground-truth box of an image of the given size, or {@code null}
     * when it is valid. Valid means: all coordinates finite, positive width and height, and inside
     * {@code [0, imageWidth] x [0, imageHeight]} (a tolerance of half a pixel absorbs rounding of
     * rescaled annotations).
     */
    public String invalidReason(double imageWidth, double imageHeight) {
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            return "non-finite coordinate in " + this;
        }
        if (!(x2 > x1) || !(y2 > y1)) {
            return "zero or negative size " + width() + "x" + height() + " in " + this;
        }
        double tol = 0.5;
        if (x1 < -tol || y1 < -tol || x2 > imageWidth + tol || y2 > imageHeight + tol) {
            return "outside the " + imageWidth + "x" + imageHeight + " image: " + this;
        }
        return null;
    }

    /** Throws {@link InvalidBoxException} with the reason unless {@link #invalidReason} is null. */
    public Box validate(double imageWidth, double imageHeight) {
        String reason = invalidReason(imageWidth, imageHeight);
        if (reason != null) {
            throw new InvalidBoxException(reason);
        }
        return this;
    }
}
