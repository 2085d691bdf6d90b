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
    STEP,
    /**
     * A short linear burn-in, the configured rates for most of the run, one late 10x drop: the multiplier
     * rises linearly from {@value #BURN_IN_START} at step 0 to 1 over the first {@value #BURN_IN_FRACTION}
     * of the run, stays 1, and is {@value #DROP_MULTIPLIER} from {@value #DROP_FRACTION} of the run on
     * (at least one step at 1 and one after the drop). Measured on short CPU runs (README, "training
     * defaults"): the scaled paper schedule spends half of a 300-600 step run at 0.1x and 0.01x before the
     * network has learned anything; this one keeps the full rate while the loss still falls quickly.
     */
    LATE_DROP;

    private static final double PEAK = 1e-3;
    /** Fraction of the run spent ramping up in {@link #LATE_DROP}. */
    public static final double BURN_IN_FRACTION = 0.05;
    /** Multiplier at step 0 of {@link #LATE_DROP}. */
    public static final double BURN_IN_START = 0.1;
    /** Fraction of the run after which {@link #LATE_DROP} drops the rate. */
    public static final double DROP_FRACTION = 0.85;
    /** Multiplier after the drop of {@link #LATE_DROP}. */
    public static final double DROP_MULTIPLIER = 0.1;

    /** The multiplier at {@code step} (from 0) of a run of {@code totalSteps}. */
    public double multiplier(long step, long totalSteps) {
        return switch (this) {
            case CONSTANT -> 1;
            case STEP -> schedule(totalSteps).rate(step) / PEAK;
            case LATE_DROP -> burnInLateDrop(step, totalSteps);
        };
    }

    private static double burnInLateDrop(long step, long totalSteps) {
        if (totalSteps <= 1) {
            return 1;
        }
        long drop = Math.min(totalSteps - 1, Math.max(1, Math.round(DROP_FRACTION * totalSteps)));
        long burnIn = Math.min(drop - 1, Math.round(BURN_IN_FRACTION * totalSteps));
        if (step >= drop) {
            return DROP_MULTIPLIER;
        }
        if (step < burnIn) {
            return BURN_IN_START + (1 - BURN_IN_START) * step / burnIn;
        }
        return 1;
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
