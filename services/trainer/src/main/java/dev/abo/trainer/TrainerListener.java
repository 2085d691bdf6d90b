package dev.abo.trainer;

import java.util.Collection;

import dev.abo.detector.train.EvalRecord;
import org.apache.kafka.common.TopicPartition;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Hooks into the trainer's loop, called on the training thread (so {@code net} may be read, not kept: it
 * changes with the next step). An exception thrown here ends the run like any failure of the loop: no
 * checkpoint, no commit (what the crash tests use).
 */
public interface TrainerListener {

    TrainerListener NONE = new TrainerListener() {
    };

    /** A model exists: restored from the checkpoint of {@code state.step()}, or new (step 0). */
    default void onModelReady(ModelShape shape, long step, boolean restored, ComputationGraph net) {
    }

    /** The group gave the trainer {@code partitions} (each already sought to where training resumes). */
    default void onAssigned(Collection<TopicPartition> partitions) {
    }

    /** A record was trained on as step {@code event.step()}. */
    default void onStep(StepEvent event, ComputationGraph net) {
    }

    /** A record went to the dead-letter topic (or was there already: {@link DeadLetterEvent#written}). */
    default void onDeadLetter(DeadLetterEvent event) {
    }

    /** A checkpoint is durable (and the offsets were committed, unless {@code committed} is false). */
    default void onCheckpoint(TrainerState state, boolean committed, ComputationGraph net) {
    }

    default void onEval(EvalRecord eval) {
    }

    /**
     * One trained record.
     *
     * @param step       the global step it was trained as
     * @param source     the batch's source id
     * @param sequence   the batch's sequence number
     * @param topic      where it was read
     * @param partition  its partition
     * @param offset     its offset
     * @param result     loss, rates, anchors after the update
     * @param waitNanos  time the loop waited for this record's data (polling and decoding) since the previous step
     * @param trainNanos time of the step itself (labels, rates, fit)
     */
    record StepEvent(long step, String source, long sequence, String topic, int partition, long offset,
                     TrainingStep.Result result, long waitNanos, long trainNanos) {
    }

    /**
     * One dead-lettered record.
     *
     * @param kind   low-cardinality reason: an {@code InvalidBatchException.Kind}, {@code UNDECODABLE}, {@code INCOMPATIBLE} or {@code ERROR}
     * @param reason  the message written into the dead-letter header
     * @param written false when the dead-letter topic already held the record (dead-lettered before a crash, after
     *                the checkpoint the trainer resumed from): not written again
     */
    record DeadLetterEvent(String topic, int partition, long offset, String kind, String reason, boolean written) {
    }
}
