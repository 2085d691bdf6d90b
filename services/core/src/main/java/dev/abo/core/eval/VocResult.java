package dev.abo.core.eval;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Per-class VOC average precision and their mean. A class without ground truth that is neither difficult nor
 * crowd has no AP and is not part of the mean.
 */
public final class VocResult {
    private final List<String> classNames;
    private final double[] ap; // NaN = undefined

    VocResult(List<String> classNames, double[] ap) {
        this.classNames = List.copyOf(classNames);
        this.ap = ap.clone();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** AP of one class; empty if all its ground truth is difficult or crowd, or it has none. */
    public OptionalDouble classAp(int classId) {
        double v = ap[classId];
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Mean AP over the classes that have one; empty if none has. */
    public OptionalDouble meanAp() {
        double sum = 0;
        int n = 0;
        for (double v : ap) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
    }

    /** Number of classes that have an AP (the mean's denominator). */
    public int classesWithAp() {
        int n = 0;
        for (double v : ap) {
            n += Double.isNaN(v) ? 0 : 1;
        }
        return n;
    }
}
