package dev.abo.core.geometry;

/** A box shape (width, height) in pixels, position dropped; what anchors and k-means work on. */
public record Shape(double w, double h) {

    public Shape {
        if (!(w > 0) || !(h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("shape needs finite positive width and height, got " + w + "x" + h);
        }
    }

    /** A shape from its log-width and log-height. */
    public static Shape ofLog(double logW, double logH) {
        return new Shape(Math.exp(logW), Math.exp(logH));
    }

    public double logW() {
        return Math.log(w);
    }

    public double logH() {
        return Math.log(h);
    }

    public double area() {
        return w * h;
    }

    /** This shape scaled by independent factors. */
    public Shape scale(double sx, double sy) {
        return new Shape(w * sx, h * sy);
    }
}
