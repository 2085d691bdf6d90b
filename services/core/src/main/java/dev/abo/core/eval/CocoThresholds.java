package dev.abo.core.eval;

/**
 * The IoU and recall thresholds of pycocotools, computed exactly as {@code numpy.linspace} does
 * ({@code i * step + start}, last value set to {@code stop}), so that comparisons against them give
 * the same answers bit for bit (e.g. the ninth IoU threshold is 0.8999999999999999, not 0.9).
 */
public final class CocoThresholds {
    private CocoThresholds() {
    }

    /** The 10 IoU thresholds .50:.05:.95. */
    public static double[] iou() {
        return linspace(0.5, 0.95, 10);
    }

    /** The 101 recall thresholds 0:.01:1. */
    public static double[] recall() {
        return linspace(0.0, 1.0, 101);
    }

    /** {@code numpy.linspace(start, stop, num)} with {@code endpoint=True}. */
    static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] y = new double[num];
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }
}
