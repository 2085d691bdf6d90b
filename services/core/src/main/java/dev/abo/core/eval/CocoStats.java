package dev.abo.core.eval;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The result of a COCO bbox evaluation: pycocotools' 12 summary numbers ({@link CocoMetric} order)
 * and, per class, AP (IoU .50:.95) and AP50, both at area "all" and maxDets 100.
 *
 * <p>{@link #asArray()} carries -1 where pycocotools prints -1 (no class has a defined value), so
 * it can be compared with {@code COCOeval.stats} directly; the typed accessors return an empty
 * {@link OptionalDouble} there instead.
 */
public final class CocoStats {
    private final List<String> classNames;
    private final double[] stats;
    private final double[] classAp;
    private final double[] classAp50;

    private CocoStats(List<String> classNames, double[] stats, double[] classAp, double[] classAp50) {
        this.classNames = List.copyOf(classNames);
        this.stats = stats;
        this.classAp = classAp;
        this.classAp50 = classAp50;
    }

    static CocoStats of(List<String> classNames, CocoAccumulation acc) {
        CocoMetric[] metrics = CocoMetric.values();
        double[] stats = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            stats[i] = mean(acc.sumAndCount(metrics[i], 0, acc.classes));
        }
        double[] ap = new double[acc.classes];
        double[] ap50 = new double[acc.classes];
        for (int k = 0; k < acc.classes; k++) {
            ap[k] = mean(acc.sumAndCount(CocoMetric.AP, k, k + 1));
            ap50[k] = mean(acc.sumAndCount(CocoMetric.AP50, k, k + 1));
        }
        return new CocoStats(classNames, stats, ap, ap50);
    }

    private static double mean(double[] sumAndCount) {
        return sumAndCount[1] == 0 ? -1 : sumAndCount[0] / sumAndCount[1];
    }

    /** The 12 numbers in pycocotools' order, -1 where undefined (a copy). */
    public double[] asArray() {
        return stats.clone();
    }

    /** One summary number; empty where pycocotools reports -1. */
    public OptionalDouble get(CocoMetric metric) {
        return defined(stats[metric.ordinal()]);
    }

    public List<String> classNames() {
        return classNames;
    }

    /** AP@[.50:.95] of one class; empty if the class has no non-crowd ground truth. */
    public OptionalDouble classAp(int classId) {
        return defined(classAp[classId]);
    }

    /** AP@.50 of one class; empty if the class has no non-crowd ground truth. */
    public OptionalDouble classAp50(int classId) {
        return defined(classAp50[classId]);
    }

    private static OptionalDouble defined(double v) {
        return v > -1 ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** The 12 lines as pycocotools prints them (3 decimals). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (CocoMetric m : CocoMetric.values()) {
            String title = m.isPrecision() ? "Average Precision  (AP)" : "Average Recall     (AR)";
            s.append(String.format(Locale.ROOT, " %s%s = %.3f%n", title, m.label().substring(2), stats[m.ordinal()]));
        }
        return s.toString();
    }
}
