package dev.abo.core.geometry;

/** Intersection over union, as small pure functions: intersection -> union -> IoU. */
public final class Iou {
    private Iou() {
    }

    /** Area of the overlap of two boxes (0 if disjoint). */
    public static double intersection(Box a, Box b) {
        double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        return w > 0 && h > 0 ? w * h : 0;
    }

    /** Area of the union of two boxes. */
    public static double union(Box a, Box b) {
        return a.area() + b.area() - intersection(a, b);
    }

    /** Continuous IoU of two boxes; 0 when the union is empty. */
    public static double of(Box a, Box b) {
        double inter = intersection(a, b);
        double union = a.area() + b.area() - inter;
        return union > 0 ? inter / union : 0;
    }

    /** IoU of two shapes placed on the same centre (YOLOv2's anchor metric). */
    public static double ofShapes(Shape a, Shape b) {
        return ofShapes(a.w(), a.h(), b.w(), b.h());
    }

    /** IoU of two centred shapes given by their sizes; the hot-path form, no allocation. */
    public static double ofShapes(double aw, double ah, double bw, double bh) {
        double inter = Math.min(aw, bw) * Math.min(ah, bh);
        return inter / (aw * ah + bw * bh - inter);
    }
}
