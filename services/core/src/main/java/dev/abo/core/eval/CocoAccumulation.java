package dev.abo.core.eval;

/**
 * pycocotools' {@code eval['precision']} and {@code eval['recall']}: per (category, area range,
 * maxDets) a {@code T x R} precision table and {@code T} recalls, or nothing where pycocotools has -1
 * (no non-ignored ground truth).
 */
final class CocoAccumulation {
    final int classes;
    final double[] iouThresholds;
    final double[] recallThresholds;
    private final double[][][][] precision; // [k][a][m] -> T*R, null = undefined
    private final double[][][][] recall;    // [k][a][m] -> T, null = undefined

    CocoAccumulation(int classes, double[] iouThresholds, double[] recallThresholds) {
        this.classes = classes;
        this.iouThresholds = iouThresholds;
        this.recallThresholds = recallThresholds;
        int areas = AreaRange.values().length;
        int maxDets = CocoEvaluator.MAX_DETS.length;
        precision = new double[classes][areas][maxDets][];
        recall = new double[classes][areas][maxDets][];
    }

    /** Each category writes only its own slot, so parallel categories need no locking. */
    void put(int k, int a, int m, double[] precisionTable, double[] recalls) {
        precision[k][a][m] = precisionTable;
        recall[k][a][m] = recalls;
    }

    /**
     * Sum and count of the defined entries for one metric restricted to the categories
     * {@code [k0, k1)}: pycocotools' {@code s[s > -1]}.
     */
    double[] sumAndCount(CocoMetric metric, int k0, int k1) {
        int a = metric.area().ordinal();
        int m = maxDetsIndex(metric.maxDets());
        int t0 = 0;
        int t1 = iouThresholds.length;
        if (!metric.allIouThresholds()) {
            t0 = thresholdIndex(metric.iouThreshold());
            t1 = t0 + 1;
        }
        double sum = 0;
        long count = 0;
        int recalls = recallThresholds.length;
        for (int k = k0; k < k1; k++) {
            if (metric.isPrecision()) {
                double[] table = precision[k][a][m];
                if (table != null) {
                    for (int i = t0 * recalls; i < t1 * recalls; i++) {
                        sum += table[i];
                        count++;
                    }
                }
            } else {
                double[] r = recall[k][a][m];
                if (r != null) {
                    for (int t = t0; t < t1; t++) {
                        sum += r[t];
                        count++;
                    }
                }
            }
        }
        return new double[] {sum, count};
    }

    private int thresholdIndex(double iou) {
        for (int t = 0; t < iouThresholds.length; t++) {
            if (iouThresholds[t] == iou) {
                return t;
            }
        }
        throw new IllegalArgumentException("no IoU threshold equal to " + iou);
    }

    private static int maxDetsIndex(int maxDets) {
        for (int m = 0; m < CocoEvaluator.MAX_DETS.length; m++) {
            if (CocoEvaluator.MAX_DETS[m] == maxDets) {
                return m;
            }
        }
        throw new IllegalArgumentException("maxDets " + maxDets);
    }
}
