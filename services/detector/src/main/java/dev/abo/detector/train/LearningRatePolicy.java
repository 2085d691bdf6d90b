package dev.abo.detector.train;

import dev.abo.core.schedule.StepLearningRate;

/**
 * How the learning rates change over a run, as a multiplier of the configured network and anchor rates
 * ({@code DetectorConfig.networkLearningRate}, {@code anchorLearningRate}).
 */
public enum LearningRatePolicy {
    /** The configured rates at every step. */
    CONSTANT,
    /**
     * The paper's VOC step schedule (Sec. 4.2: 1e-4 burn-in for 100 of 30000 steps, 1e-3 up to 15000,
     * 1e-4 up to 27000, 1e-5 to the end) scaled to the run with {@link StepLearningRate#scaledTo}, as
     * multipliers of the peak: 0.1 (burn-in), 1, 0.1, 0.01. Short runs whose scaled ranges would be
     * empty keep every range at least one step long (burn-in first, then the later ranges).
     */
    STEP;

    private static final double PEAK = 1e-3;

    /** The multiplier at {@code step} (from 0) of a run of {@code totalSteps}. */
    public double multiplier(long step, long totalSteps) {
        if (this == CONSTANT) {
            return 1;
        }
        return schedule(totalSteps).rate(step) / PEAK;
    }

    /** The STEP schedule (in paper rates, peak 1e-3) for a run of {@code totalSteps >= 4}. */
    public static StepLearningRate schedule(long totalSteps) {
        StepLearningRate voc = StepLearningRate.voc();
        try {
            return voc.scaledTo(totalSteps);
        } catch (IllegalArgumentException tooShort) {
            if (totalSteps < voc.segments().size()) {
                throw new IllegalArgumentException("the step learning-rate schedule needs at least "
                        + voc.segments().size() + " steps, got " + totalSteps, tooShort);
            }
            int n = voc.segments().size();
            long[] ends = new long[n];
            double[] rates = new double[n];
            long prev = 0;
            for (int i = 0; i < n; i++) {
                StepLearningRate.Segment s = voc.segments().get(i);
                long scaled = Math.round((double) s.end() * totalSteps / voc.totalSteps());
                long latest = totalSteps - (n - 1 - i);        // leave one step for each later range
                ends[i] = i == n - 1 ? totalSteps : Math.min(latest, Math.max(prev + 1, scaled));
                rates[i] = s.rate();
                prev = ends[i];
            }
            return StepLearningRate.of(ends, rates);
        }
    }
}
