package dev.abo.detector.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensors of one training step.
 *
 * @param step          the step (samples {@code step * batch + j})
 * @param input         images {@code [B, 3, H, W]}
 * @param labels        label planes ({@code LabelLayout}) with the step's warm-up values
 * @param objects       ground-truth objects in the batch
 * @param dropped       objects left out of the loss as a second object of a cell
 * @param ignored       VOC-difficult objects and COCO crowd regions in the batch, not training targets
 * @param prepareNanos  time the preparation took on the prefetch thread
 */
public record PreparedBatch(long step, INDArray input, INDArray labels, int objects, int dropped, int ignored,
                            long prepareNanos) {
}
