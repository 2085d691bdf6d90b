package dev.abo.detector.train;

import dev.abo.core.schedule.WarmupSchedule;
import dev.abo.detector.DetectorConfig;

/**
 * Everything a training run needs besides its data, validated.
 *
 * @param detector     the network and loss hyperparameters (input size, backbone, anchors mode, rates, techniques)
 * @param steps        number of SGD steps of the whole run (a resumed run continues to this step)
 * @param batch        images per step
 * @param warmupSteps  length of the anchor warm-up (paper Sec. 3.2.1-3.2.2: T from 2 and lambda from 1 to 0;
 *                     1500 at full scale; {@link #defaults} uses 20% of the run); 0 = none
 * @param lambdaAfter  clustering weight kept after the warm-up, in [0, 1] (paper: 0; dl4j-recipes 2.4 saw 0.1-1 stop
 *                     drift; {@link #defaults}: {@value #DEFAULT_LAMBDA_AFTER})
 * @param evalEvery    evaluate on the held-out set every this many steps (and always after the last step)
 * @param evalImages   held-out images per evaluation
 * @param seed         seed of the data stream (sample i of the training source) and of the weight init
 *                     goes through {@code detector.seed()}
 * @param lrPolicy     learning-rate schedule over the run
 */
public record TrainingConfig(DetectorConfig detector, long steps, int batch, long warmupSteps, double lambdaAfter,
                             long evalEvery, int evalImages, long seed, LearningRatePolicy lrPolicy) {

    public TrainingConfig {
        if (detector == null) {
            throw new IllegalArgumentException("detector config must be set");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (warmupSteps < 0 || warmupSteps > steps) {
            throw new IllegalArgumentException("warmupSteps must be in [0, steps=" + steps + "], got " + warmupSteps);
        }
        if (!Double.isFinite(lambdaAfter) || lambdaAfter < 0 || lambdaAfter > 1) {
            throw new IllegalArgumentException("lambdaAfter must be in [0, 1] (the warm-up starts at 1), got " + lambdaAfter);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("evalEvery must be >= 1, got " + evalEvery);
        }
        if (evalImages < 1) {
            throw new IllegalArgumentException("evalImages must be >= 1, got " + evalImages);
        }
        if (lrPolicy == null) {
            throw new IllegalArgumentException("lrPolicy must be set");
        }
        if (lrPolicy == LearningRatePolicy.STEP) {
            LearningRatePolicy.schedule(steps);              // throws for runs too short for the schedule
        }
    }

    /** The clustering weight {@link #defaults} keeps after the warm-up (see there). */
    public static final double DEFAULT_LAMBDA_AFTER = 1.0;

    /**
     * Warm-up over 20% of the run, lambda kept at {@value #DEFAULT_LAMBDA_AFTER} after it, 5 evaluations of
     * 128 images, seed 1, {@link LearningRatePolicy#LATE_DROP}. Measured at CPU scale (README, "Training
     * defaults"; synthetic:mixed, 96 px, batch 16, 600 steps): the paper's STEP schedule scaled to a short
     * run spends half of it at 0.1x and 0.01x while AP50 still climbs, LATE_DROP keeps the full rate to 85%;
     * the paper's lambda 0 after warm-up lets the learned anchors drift away from the box clusters (the
     * network and the anchors trade {@code t_w + s_w}), a kept clustering term limits that.
     */
    public static TrainingConfig defaults(DetectorConfig detector, long steps, int batch) {
        return new TrainingConfig(detector, steps, batch, Math.round(0.2 * steps), DEFAULT_LAMBDA_AFTER,
                Math.max(1, steps / 5), 128, 1, LearningRatePolicy.LATE_DROP);
    }

    /** The warm-up schedule of this run. */
    public WarmupSchedule warmup() {
        return new WarmupSchedule(warmupSteps, 2, 1, lambdaAfter);
    }

    public TrainingConfig withSteps(long newSteps, long newWarmup, long newEvalEvery) {
        return new TrainingConfig(detector, newSteps, batch, newWarmup, lambdaAfter, newEvalEvery, evalImages, seed, lrPolicy);
    }

    public TrainingConfig withEval(long every, int images) {
        return new TrainingConfig(detector, steps, batch, warmupSteps, lambdaAfter, every, images, seed, lrPolicy);
    }

    public TrainingConfig withPolicy(LearningRatePolicy policy, long warmup, double lambdaFloor) {
        return new TrainingConfig(detector, steps, batch, warmup, lambdaFloor, evalEvery, evalImages, seed, policy);
    }

    public TrainingConfig withDetector(DetectorConfig d) {
        return new TrainingConfig(d, steps, batch, warmupSteps, lambdaAfter, evalEvery, evalImages, seed, lrPolicy);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(detector, steps, batch, warmupSteps, lambdaAfter, evalEvery, evalImages, s, lrPolicy);
    }
}
