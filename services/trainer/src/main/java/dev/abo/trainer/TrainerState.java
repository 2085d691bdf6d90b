package dev.abo.trainer;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the trainer saves next to the network in every checkpoint (entry {@value TrainerCheckpoints#ENTRY} of
 * the same zip, so the two are durable together): the global step, the model's input size and classes,
 * the consumed offsets and the lineage of trained batches.
 *
 * <p>Version 2 added {@code deadLetterScanFrom}; a version 1 state reads with it empty.
 *
 * @param formatVersion  {@link #FORMAT_VERSION} (or an older one read back)
 * @param step           optimisation steps done (the next step's number)
 * @param inputSize      network input side, pixels
 * @param classNames     the model's classes, in class-id order
 * @param offsets        per partition the next offset to consume: every record before it was trained or
 *                       dead-lettered into this state
 * @param trained        {@link TrainedLedger#ranges()}
 * @param retrained      {@link TrainedLedger#retrained()}
 * @param retrainedCount {@link TrainedLedger#retrainedCount()}
 * @param deadLettered   records of the training topic dead-lettered in this lineage (each once: also those the
 *                       dead-letter topic already held from before a crash, see {@link DeadLetterLog})
 * @param deadLetterScanFrom per partition of the training topic's dead-letter topic, the offset from which it holds
 *                       the dead letters of records after {@code offsets}: where a restart from this state reads it
 *                       ({@link DeadLetterLog}); a partition not listed is read from its beginning
 * @param createdUnixMs  when the checkpoint was written
 */
public record TrainerState(int formatVersion, long step, int inputSize, List<String> classNames,
                           List<PartitionOffset> offsets, Map<String, List<TrainedLedger.Range>> trained,
                           List<TrainedLedger.Batch> retrained, long retrainedCount, long deadLettered,
                           List<PartitionOffset> deadLetterScanFrom, long createdUnixMs) {

    public static final int FORMAT_VERSION = 2;
    /** The oldest version this build reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    public TrainerState {
        classNames = List.copyOf(classNames);
        offsets = List.copyOf(offsets);
        trained = Map.copyOf(trained);
        retrained = List.copyOf(retrained);
        deadLetterScanFrom = List.copyOf(Objects.requireNonNullElse(deadLetterScanFrom, List.of()));   // absent in version 1
    }

    /** The next offset to consume of one partition. */
    public record PartitionOffset(String topic, int partition, long offset) {
    }

    public TrainedLedger ledger() {
        return TrainedLedger.restore(trained, retrained, retrainedCount);
    }
}
