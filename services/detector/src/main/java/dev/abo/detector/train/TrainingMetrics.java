package dev.abo.detector.train;

import java.util.List;

/**
 * The metrics document of a run ({@code metrics.json}).
 *
 * @param inputSize         network input side, pixels
 * @param startStep         first step of this process (non-zero when resumed)
 * @param steps             the run's last step + 1
 * @param finalAp50         VOC all-point AP at IoU 0.5 on the held-out images after the last step
 * @param finalAnchorIou    the final anchors' mean best shape IoU over the held-out boxes
 * @param finalLoss         loss of the last step's batch
 * @param initialAnchors    anchors at {@code startStep}, input pixels
 * @param anchors           anchors after the last step, input pixels
 * @param stepsPerSecond    training steps per second (evaluations excluded)
 * @param dataWaitFraction  fraction of the training loop spent waiting for data
 * @param trainSeconds      wall time of the training loop
 * @param evalSeconds       wall time of the evaluations
 * @param ignoredObjects    VOC-difficult objects and COCO crowd regions in this process's training batches, left
 *                          out of the training targets ({@code LabelEncoder}); 0 in files written before it existed
 * @param config            the training configuration
 * @param evals             every held-out evaluation, in order
 */
public record TrainingMetrics(int inputSize, long startStep, long steps, double finalAp50, double finalAnchorIou,
                              double finalLoss, List<AnchorPx> initialAnchors, List<AnchorPx> anchors,
                              double stepsPerSecond, double dataWaitFraction, double trainSeconds, double evalSeconds,
                              long ignoredObjects, TrainingConfig config, List<EvalRecord> evals) {
    public TrainingMetrics {
        initialAnchors = List.copyOf(initialAnchors);
        anchors = List.copyOf(anchors);
        evals = List.copyOf(evals);
    }

    public static TrainingMetrics of(TrainingReport r) {
        EvalRecord last = r.evals().isEmpty() ? null : r.finalEval();
        double loss = r.steps().isEmpty() ? Double.NaN : r.steps().get(r.steps().size() - 1).loss();
        return new TrainingMetrics(r.config().detector().inputSize(), r.startStep(), r.config().steps(),
                last == null ? Double.NaN : last.ap50(), last == null ? Double.NaN : last.anchorIou(), loss,
                r.initialAnchors(), r.finalAnchors(), r.stepsPerSecond(), r.dataWaitFraction(), r.trainSeconds(),
                r.evalSeconds(), r.ignoredObjects(), r.config(), r.evals());
    }
}
