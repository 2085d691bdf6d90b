package dev.abo.core.eval;

/** The 12 summary numbers of pycocotools' bbox evaluation, in its order. */
public enum CocoMetric {
    AP(true, -1, AreaRange.ALL, 100),
    AP50(true, 0.5, AreaRange.ALL, 100),
    AP75(true, 0.75, AreaRange.ALL, 100),
    AP_SMALL(true, -1, AreaRange.SMALL, 100),
    AP_MEDIUM(true, -1, AreaRange.MEDIUM, 100),
    AP_LARGE(true, -1, AreaRange.LARGE, 100),
    AR1(false, -1, AreaRange.ALL, 1),
    AR10(false, -1, AreaRange.ALL, 10),
    AR100(false, -1, AreaRange.ALL, 100),
    AR_SMALL(false, -1, AreaRange.SMALL, 100),
    AR_MEDIUM(false, -1, AreaRange.MEDIUM, 100),
    AR_LARGE(false, -1, AreaRange.LARGE, 100);

    private final boolean precision;
    private final double iouThreshold;
    private final AreaRange area;
    private final int maxDets;

    CocoMetric(boolean precision, double iouThreshold, AreaRange area, int maxDets) {
        this.precision = precision;
        this.iouThreshold = iouThreshold;
        this.area = area;
        this.maxDets = maxDets;
    }

    /** True for average precision, false for average recall. */
    public boolean isPrecision() {
        return precision;
    }

    /** Whether the metric averages over all 10 IoU thresholds (else it uses {@link #iouThreshold()}). */
    public boolean allIouThresholds() {
        return iouThreshold < 0;
    }

    /** The single IoU threshold; meaningful only when {@link #allIouThresholds()} is false. */
    public double iouThreshold() {
        return iouThreshold;
    }

    public AreaRange area() {
        return area;
    }

    public int maxDets() {
        return maxDets;
    }

    /** A pycocotools-style line label, e.g. {@code AP @[ IoU=0.50 | area=all | maxDets=100 ]}. */
    public String label() {
        String iou = allIouThresholds() ? "0.50:0.95" : String.format(java.util.Locale.ROOT, "%.2f", iouThreshold);
        return String.format(java.util.Locale.ROOT, "%s @[ IoU=%-9s | area=%6s | maxDets=%3d ]",
                precision ? "AP" : "AR", iou, area.label(), maxDets);
    }
}
