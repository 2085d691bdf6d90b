package dev.abo.detector.bench;

import java.util.Arrays;

/**
 * Summary of repeated timings of one variant, in milliseconds.
 *
 * @param count  number of timings
 * @param median the middle value (mean of the two middle ones for an even count)
 * @param p90    the 90th percentile by nearest rank: the {@code ceil(0.9 n)}-th smallest value
 * @param mean   arithmetic mean
 * @param min    smallest value
 */
public record StepStats(int count, double median, double p90, double mean, double min) {

    /** The summary of {@code ms} (at least one value, all finite). */
    public static StepStats of(double[] ms) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("need at least one timing");
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        for (double v : s) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("timings must be finite, got " + v);
            }
        }
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        double p90 = s[(int) Math.ceil(0.9 * n) - 1];
        return new StepStats(n, median, p90, Arrays.stream(s).sum() / n, s[0]);
    }

    /** {@code this.median / other.median}: above 1 means this variant is slower. */
    public double medianRatioTo(StepStats other) {
        return median / other.median;
    }
}
