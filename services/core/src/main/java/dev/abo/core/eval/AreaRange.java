package dev.abo.core.eval;

/**
 * COCO's object area ranges in pixels^2, both ends inclusive as in pycocotools (an object of area
 * exactly 32^2 is both small and medium).
 */
public enum AreaRange {
    ALL("all", 0, 1e10),
    SMALL("small", 0, 32 * 32),
    MEDIUM("medium", 32 * 32, 96 * 96),
    LARGE("large", 96 * 96, 1e10);

    private final String label;
    private final double min;
    private final double max;

    AreaRange(String label, double min, double max) {
        this.label = label;
        this.min = min;
        this.max = max;
    }

    /** The label pycocotools prints ("all", "small", "medium", "large"). */
    public String label() {
        return label;
    }

    /** Whether {@code min <= area <= max} (pycocotools ignores {@code area < min or area > max}). */
    public boolean contains(double area) {
        return !(area < min || area > max);
    }
}
