package dev.abo.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.InvalidBatchException;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The held-out images, read from the evaluation topic from its beginning by a consumer of its own
 * ({@code assign}, no group membership, never commits) and kept decoded in memory: the first
 * {@code capacity} images that fit the model, in offset order. Each {@link #refresh} reads what arrived
 * since the last one (until the cache is full, then the consumer is left alone), so the set grows until it
 * is complete; AP50 values from before that are over fewer images. Unusable records are reported to
 * {@code rejects} (the service dead-letters them) and skipped.
 */
final class HeldOutSet implements AutoCloseable {

    /** Where records that cannot be used for evaluation go. */
    interface Rejects {
        void reject(ConsumerRecord<String, TrainingBatch> record, Exception reason);

        void reject(RecordDeserializationException error);
    }

    private final Consumer<String, TrainingBatch> consumer;
    private final TopicSpec<String, TrainingBatch> topic;
    private final int capacity;
    private final Rejects rejects;
    private final List<TrainingSample> samples = new ArrayList<>();
    private List<TopicPartition> partitions;
    private HeldOutEvaluation evaluation;
    private ModelShape shape;

    HeldOutSet(Consumer<String, TrainingBatch> consumer, TopicSpec<String, TrainingBatch> topic, int capacity,
               Rejects rejects) {
        this.consumer = consumer;
        this.topic = topic;
        this.capacity = capacity;
        this.rejects = rejects;
    }

    int size() {
        return samples.size();
    }

    boolean full() {
        return samples.size() >= capacity;
    }

    /**
     * Reads the records that arrived since the last call, up to the end offsets seen now, for at most
     * {@code budget}; keeps the samples that fit {@code model}.
     */
    void refresh(ModelShape model, Duration budget) {
        if (shape != null && !shape.equals(model)) {
            throw new IllegalStateException("held-out set is for " + shape + ", asked for " + model);
        }
        shape = model;
        if (full()) {
            return;
        }
        if (partitions == null) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
            partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + budget.toNanos();
        int before = samples.size();
        while (!full() && !caughtUp(end) && System.nanoTime() < deadline) {
            try {
                for (ConsumerRecord<String, TrainingBatch> r : consumer.poll(Duration.ofMillis(100))) {
                    add(r);
                    if (full()) {
                        break;
                    }
                }
            } catch (RecordDeserializationException e) {
                rejects.reject(e);
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
        if (samples.size() != before) {
            evaluation = null;
        }
    }

    /** AP50 and anchor IoU of {@code net} on the images read so far, or empty when there are none. */
    Optional<EvalRecord> evaluate(ComputationGraph net, DetectorConfig config, long step) {
        if (samples.isEmpty()) {
            return Optional.empty();
        }
        if (evaluation == null) {
            try {
                evaluation = HeldOutEvaluation.of(new ListSource(samples, shape), samples.size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);     // ListSource does no I/O
            }
        }
        return Optional.of(evaluation.evaluate(net, config, step));
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private void add(ConsumerRecord<String, TrainingBatch> r) {
        DecodedBatch batch;
        try {
            batch = TrainingBatchCodec.decode(r.value());
        } catch (InvalidBatchException e) {
            rejects.reject(r, e);
            return;
        }
        Optional<String> mismatch = shape.mismatch(batch);
        if (mismatch.isPresent()) {
            rejects.reject(r, new IncompatibleBatchException(mismatch.get()));
            return;
        }
        for (TrainingSample s : shape.toModelClasses(batch).samples()) {
            if (full()) {
                return;
            }
            samples.add(s);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** The cached samples as a finite source (one epoch). */
    private record ListSource(List<TrainingSample> samples, ModelShape shape) implements SampleSource {
        @Override
        public List<String> classNames() {
            return shape.classNames();
        }

        @Override
        public int inputWidth() {
            return shape.inputSize();
        }

        @Override
        public int inputHeight() {
            return shape.inputSize();
        }

        @Override
        public TrainingSample sample(long index) {
            return samples.get((int) index);
        }

        @Override
        public long epochLength() {
            return samples.size();
        }
    }
}
