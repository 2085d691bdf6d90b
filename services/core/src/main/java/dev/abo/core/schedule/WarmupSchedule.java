package dev.abo.core.schedule;

/**
 * The anchor warm-up of paper Sec. 3.2.1-3.2.2: over the first {@code warmupSteps} training steps the
 * soft-assignment temperature T (Eq. 10) falls linearly from {@code initialTemperature} (paper: 2) to 0
 * and the online-clustering weight lambda (Eq. 11) falls linearly from {@code initialLambda}
 * (paper: 1) to 0; the paper warms up for 1500 iterations.
 *
 * <p>At step {@code s < W}: {@code T = T0 (1 - s/W)} and {@code lambda = max(lambdaAfter,
 * lambda0 (1 - s/W))}. From step {@code W} on: {@code T = 0} (hard assignment) and
 * {@code lambda = lambdaAfter}. {@code lambdaAfter} defaults to 0 as in the paper; a small positive
 * floor keeps a little clustering pull after warm-up (our probe saw it prevent anchor drift).
 * {@code W = 0} means no warm-up at all. Steps count from 0.
 */
public record WarmupSchedule(long warmupSteps, double initialTemperature, double initialLambda, double lambdaAfter) {

    /** The paper's warm-up length (Sec. 3.2.1-3.2.2), in iterations. */
    public static final long PAPER_WARMUP_STEPS = 1500;

    public WarmupSchedule {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (!Double.isFinite(initialTemperature) || initialTemperature < 0) {
            throw new IllegalArgumentException("initialTemperature must be finite and >= 0, got " + initialTemperature);
        }
        if (!Double.isFinite(initialLambda) || initialLambda < 0) {
            throw new IllegalArgumentException("initialLambda must be finite and >= 0, got " + initialLambda);
        }
        if (!Double.isFinite(lambdaAfter) || lambdaAfter < 0 || lambdaAfter > initialLambda) {
            throw new IllegalArgumentException(
                    "lambdaAfter must be in [0, initialLambda=" + initialLambda + "], got " + lambdaAfter);
        }
    }

    /** The paper's schedule: T from 2 and lambda from 1, both to 0 over 1500 steps. */
    public static WarmupSchedule paper() {
        return of(PAPER_WARMUP_STEPS);
    }

    /** T from 2 and lambda from 1 to 0 over {@code warmupSteps}, no lambda floor. */
    public static WarmupSchedule of(long warmupSteps) {
        return new WarmupSchedule(warmupSteps, 2, 1, 0);
    }

    /** This schedule with lambda held at {@code floor} after (and never below it during) warm-up. */
    public WarmupSchedule withLambdaAfter(double floor) {
        return new WarmupSchedule(warmupSteps, initialTemperature, initialLambda, floor);
    }

    /** The soft-assignment temperature at {@code step}; exactly 0 from step {@code W} on. */
    public double temperature(long step) {
        return initialTemperature * remaining(step);
    }

    /** The clustering weight lambda of Eq. 11 at {@code step}. */
    public double lambda(long step) {
        return Math.max(lambdaAfter, initialLambda * remaining(step));
    }

    /** True while the temperature is positive, i.e. the assignment is soft (steps before {@code W}). */
    public boolean softActive(long step) {
        return temperature(step) > 0;
    }

    /** {@code 1 - step/W} before the end of warm-up, 0 after. */
    private double remaining(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return step >= warmupSteps ? 0 : 1 - (double) step / warmupSteps;
    }
}
