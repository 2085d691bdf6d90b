package dev.abo.detector.train;

import java.util.List;

/**
 * One held-out evaluation.
 *
 * @param step        evaluated after this many steps (the anchors/weights after step {@code step - 1})
 * @param ap50        VOC all-point AP at IoU 0.5, mean over classes with ground truth (NaN without any)
 * @param anchorIou   mean over held-out boxes of the best shape IoU with the anchors (YOLOv2's avg IoU)
 * @param images      held-out images evaluated
 * @param detections  detections kept (score >= the evaluation threshold, after NMS)
 * @param anchors     the anchors evaluated, input pixels
 * @param seconds     evaluation time
 */
public record EvalRecord(long step, double ap50, double anchorIou, int images, int detections, List<AnchorPx> anchors,
                         double seconds) {
    public EvalRecord {
        anchors = List.copyOf(anchors);
    }
}
