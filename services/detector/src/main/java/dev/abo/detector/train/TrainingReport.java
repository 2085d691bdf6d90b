package dev.abo.detector.train;

import java.util.List;

/**
 * What a (possibly resumed) run did: its configuration, the steps {@code [startStep, config.steps())}
 * it ran and their records, the evaluations, and totals.
 *
 * @param config           the run's configuration
 * @param startStep        first step run here (0, or the checkpoint's step when resumed)
 * @param initialAnchors   anchors before {@code startStep}, input pixels
 * @param steps            one record per step run, in order
 * @param evals            the held-out evaluations, in order (the last one after the final step)
 * @param trainSeconds     wall time of the step loop, evaluations excluded
 * @param dataWaitSeconds  part of it spent waiting for data
 * @param evalSeconds      wall time of the evaluations
 * @param ignoredObjects   VOC-difficult objects and COCO crowd regions in the batches of the steps run, left out
 *                         of the training targets ({@code LabelEncoder})
 */
public record TrainingReport(TrainingConfig config, long startStep, List<AnchorPx> initialAnchors, List<StepRecord> steps,
                             List<EvalRecord> evals, double trainSeconds, double dataWaitSeconds, double evalSeconds,
                             long ignoredObjects) {
    public TrainingReport {
        initialAnchors = List.copyOf(initialAnchors);
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /** Steps per second of the loop (evaluations excluded). */
    public double stepsPerSecond() {
        return trainSeconds > 0 ? steps.size() / trainSeconds : 0;
    }

    /** Fraction of the loop's time spent waiting for data, in [0, 1]. */
    public double dataWaitFraction() {
        return trainSeconds > 0 ? dataWaitSeconds / trainSeconds : 0;
    }

    /** The step after the last one run here: where a run resumed from this one starts. */
    public long endStep() {
        return startStep + steps.size();
    }

    /** The last evaluation. */
    public EvalRecord finalEval() {
        return evals.get(evals.size() - 1);
    }

    /** The anchors after the last step (the initial ones if no step ran). */
    public List<AnchorPx> finalAnchors() {
        return steps.isEmpty() ? initialAnchors : steps.get(steps.size() - 1).anchors();
    }
}
