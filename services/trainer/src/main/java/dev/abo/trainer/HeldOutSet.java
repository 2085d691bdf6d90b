package dev.abo.trainer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.DetectorConfig;
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
 * The held-out images: a sliding window of the most recent {@code capacity} images of the evaluation topic
 * that fit the model, in the order they were read (offset order per partition), kept decoded in memory.
 * A consumer of its own reads the topic ({@code assign}, no group membership, never commits).
 *
 * <p>Each {@link #refresh} reads what arrived since the previous one and drops the oldest images beyond
 * {@code capacity}, so the evaluation follows the data: after a drift, held-out images recorded after it
 * replace the old ones as they arrive. The first refresh starts each partition {@code capacity} records
 * before its end (every record holds at least one image, so the newest {@code capacity} images are among
 * them) instead of at its beginning. Unusable records are reported to {@code rejects} (the service
 * dead-letters them) and skipped.
 *
 * <p>{@link #id()} names the images in the window by their first and last position on the topic. Two
 * evaluations are over the same images exactly when their ids are equal (offsets of a topic never hold
 * another record), so AP50 values are comparable only between equal ids; a snapshot carries the id for that
 * reason.
 */
final class HeldOutSet implements AutoCloseable {

    /** Where records that cannot be used for evaluation go. */
    interface Rejects {
        void reject(ConsumerRecord<String, TrainingBatch> record, Exception reason);

        void reject(RecordDeserializationException error);
    }

    /** One held-out image and where it was read: image {@code index} of the record at {@code offset}. */
    private record Entry(int partition, long offset, int index, TrainingSample sample) {
    }

    private final Consumer<String, TrainingBatch> consumer;
    private final TopicSpec<String, TrainingBatch> topic;
    private final int capacity;
    private final Rejects rejects;
    private final Deque<Entry> window = new ArrayDeque<>();
    private List<TopicPartition> partitions;
    private HeldOutEvaluation evaluation;
    private ModelShape shape;

    HeldOutSet(Consumer<String, TrainingBatch> consumer, TopicSpec<String, TrainingBatch> topic, int capacity,
               Rejects rejects) {
        if (capacity < 1) {
            throw new IllegalArgumentException("held-out capacity must be >= 1, got " + capacity);
        }
        this.consumer = consumer;
        this.topic = topic;
        this.capacity = capacity;
        this.rejects = rejects;
    }

    int size() {
        return window.size();
    }

    /**
     * The images in the window, named by topic, partition and the (offset, image index) of the first and the
     * last of them per partition: {@code eval.batches-0@40.3..63.7}; partitions joined by {@code ,}. Empty
     * string when the window is empty.
     */
    String id() {
        Map<Integer, Entry[]> ends = new TreeMap<>();
        for (Entry e : window) {
            ends.computeIfAbsent(e.partition(), p -> new Entry[]{e, e})[1] = e;
        }
        List<String> parts = new ArrayList<>();
        ends.forEach((p, fl) -> parts.add(topic.name() + "-" + p + "@" + fl[0].offset() + "." + fl[0].index() + ".."
                + fl[1].offset() + "." + fl[1].index()));
        return String.join(",", parts);
    }

    /**
     * Reads the records that arrived since the last call, up to the end offsets seen now, for at most
     * {@code budget}; keeps the images that fit {@code model} and drops the oldest beyond the capacity.
     */
    void refresh(ModelShape model, Duration budget) {
        if (shape != null && !shape.equals(model)) {
            throw new IllegalStateException("held-out set is for " + shape + ", asked for " + model);
        }
        shape = model;
        if (partitions == null) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
            partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L) - capacity));
            }
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + budget.toNanos();
        String before = id();
        while (!caughtUp(end) && System.nanoTime() < deadline) {
            try {
                for (ConsumerRecord<String, TrainingBatch> r : consumer.poll(Duration.ofMillis(100))) {
                    add(r);
                }
            } catch (RecordDeserializationException e) {
                rejects.reject(e);
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
        if (!id().equals(before)) {
            evaluation = null;
        }
    }

    /** AP50 and anchor IoU of {@code net} on the images in the window (named by {@link #id()}), or empty when there are none. */
    Optional<HeldOutEval> evaluate(ComputationGraph net, DetectorConfig config, long step) {
        if (window.isEmpty()) {
            return Optional.empty();
        }
        if (evaluation == null) {
            evaluation = HeldOutEvaluation.of(window.stream().map(Entry::sample).toList(), shape.classNames());
        }
        return Optional.of(new HeldOutEval(evaluation.evaluate(net, config, step), id(), evaluation));
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
        List<TrainingSample> samples = shape.toModelClasses(batch).samples();
        for (int i = 0; i < samples.size(); i++) {
            window.addLast(new Entry(r.partition(), r.offset(), i, samples.get(i)));
            if (window.size() > capacity) {
                window.removeFirst();
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
