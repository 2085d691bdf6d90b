package dev.abo.trainer;

import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.HeldOutEvaluation;

/**
 * One held-out evaluation and the images it was on.
 *
 * @param record     AP50, anchor IoU, step, image count
 * @param heldOutSet the window of the held-out stream it was on ({@code HeldOutSet#id()}, e.g.
 *                   {@code eval.batches-0@40.3..63.7}): AP50 values are comparable only between equal sets
 * @param images     those images (immutable), to evaluate another network on exactly them: the promoted version,
 *                   for a snapshot that is published with this evaluation
 */
public record HeldOutEval(EvalRecord record, String heldOutSet, HeldOutEvaluation images) {
}
