package dev.abo.detector.train;

import java.util.List;

/**
 * One training step as recorded.
 *
 * @param step       the step (from 0)
 * @param loss       the network's score of this step's batch (DL4J: the summed loss over the batch / B)
 * @param networkLr  network learning rate used
 * @param anchorLr   anchor learning rate used
 * @param anchors    the anchors the network holds AFTER this step's update, input pixels
 * @param waitMs     time the loop waited for this batch's data, ms
 * @param fitMs      time of {@code net.fit}, ms
 */
public record StepRecord(long step, double loss, double networkLr, double anchorLr, List<AnchorPx> anchors,
                         double waitMs, double fitMs) {
    public StepRecord {
        anchors = List.copyOf(anchors);
    }
}
