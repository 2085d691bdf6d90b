package dev.abo.core.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * A piecewise-constant learning rate over contiguous step ranges {@code [start, end)} (paper Sec. 4.2).
 * The first range starts at step 0, each range starts where the previous one ends, and every range is
 * non-empty. Steps at or beyond the last range's end keep the last rate (an online learner may run past
 * the nominal schedule).
 */
public record StepLearningRate(List<Segment> segments) {

    /** Rate {@code rate} (per step, unitless SGD multiplier) for steps {@code start <= s < end}. */
    public record Segment(long start, long end, double rate) {
    }

    public StepLearningRate {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a learning-rate schedule needs at least one segment");
        }
        long expectedStart = 0;
        for (Segment s : segments) {
            if (s.start() != expectedStart) {
                throw new IllegalArgumentException("segment " + s + " must start at " + expectedStart);
            }
            if (s.end() <= s.start()) {
                throw new IllegalArgumentException("segment " + s + " is empty");
            }
            if (!Double.isFinite(s.rate()) || s.rate() <= 0) {
                throw new IllegalArgumentException("segment " + s + " needs a finite positive rate");
            }
            expectedStart = s.end();
        }
    }

    /**
     * A schedule from its range ends and rates: range i is {@code [ends[i-1], ends[i])} (from 0 for
     * i = 0) with rate {@code rates[i]}.
     */
    public static StepLearningRate of(long[] ends, double[] rates) {
        if (ends.length != rates.length) {
            throw new IllegalArgumentException("ends and rates lengths differ: " + ends.length + " vs " + rates.length);
        }
        List<Segment> s = new ArrayList<>(ends.length);
        long start = 0;
        for (int i = 0; i < ends.length; i++) {
            s.add(new Segment(start, ends[i], rates[i]));
            start = ends[i];
        }
        return new StepLearningRate(s);
    }

    /** PASCAL VOC: (0-100, 1e-4), (100-15000, 1e-3), (15000-27000, 1e-4), (27000-30000, 1e-5). */
    public static StepLearningRate voc() {
        return of(new long[] {100, 15_000, 27_000, 30_000}, new double[] {1e-4, 1e-3, 1e-4, 1e-5});
    }

    /** MS COCO: (0-1000, 1e-4), (1000-80000, 1e-3), (80000-90000, 1e-4), (90000-100000, 1e-5). */
    public static StepLearningRate coco() {
        return of(new long[] {1_000, 80_000, 90_000, 100_000}, new double[] {1e-4, 1e-3, 1e-4, 1e-5});
    }

    /** Brainwash: (0-100, 1e-4), (100-5000, 1e-3), (5000-9000, 1e-4), (9000-10000, 1e-5). */
    public static StepLearningRate brainwash() {
        return of(new long[] {100, 5_000, 9_000, 10_000}, new double[] {1e-4, 1e-3, 1e-4, 1e-5});
    }

    /** The nominal length of the schedule (end of the last range). */
    public long totalSteps() {
        return segments.get(segments.size() - 1).end();
    }

    /** The learning rate at {@code step >= 0}; the last rate beyond {@link #totalSteps()}. */
    public double rate(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        for (Segment s : segments) {
            if (step < s.end()) {
                return s.rate();
            }
        }
        return segments.get(segments.size() - 1).rate();
    }

    /**
     * The same schedule stretched or shrunk to {@code newTotal} steps: every boundary {@code b} becomes
     * {@code round(b * newTotal / totalSteps())}, rates unchanged.
     *
     * @throws IllegalArgumentException if {@code newTotal <= 0} or rounding empties a range
     */
    public StepLearningRate scaledTo(long newTotal) {
        if (newTotal <= 0) {
            throw new IllegalArgumentException("newTotal must be positive, got " + newTotal);
        }
        double factor = (double) newTotal / totalSteps();
        List<Segment> out = new ArrayList<>(segments.size());
        long start = 0;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            long end = i == segments.size() - 1 ? newTotal : Math.round(s.end() * factor);
            if (end <= start) {
                throw new IllegalArgumentException("scaling to " + newTotal + " steps empties segment " + s);
            }
            out.add(new Segment(start, end, s.rate()));
            start = end;
        }
        return new StepLearningRate(out);
    }
}
