package dev.abo.cli.bench;

import dev.abo.detector.train.TrainingMetrics;

/**
 * One finished training run of the bench.
 *
 * @param dataset           the {@code --dataset} spec
 * @param seed              its seed
 * @param run               what was trained
 * @param metrics           the trainer's metrics (final AP50 and anchors, steps/s, configuration)
 * @param initialAnchorIou  the initial anchors' mean best shape IoU over the held-out boxes
 * @param trainCommand      the {@code abo train} command that repeats it
 */
record RunOutcome(String dataset, long seed, PaperRow.Run run, TrainingMetrics metrics, double initialAnchorIou,
                  String trainCommand) {
}
