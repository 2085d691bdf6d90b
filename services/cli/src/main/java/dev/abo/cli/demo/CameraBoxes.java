package dev.abo.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.abo.core.geometry.Shape;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.proto.training.v1.TrainingImage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The box shapes the camera actually put on {@code train.batches} (input pixels), read from the topic by a
 * consumer of its own (no group): what the trainers saw, independent of them. Only the records' box fields are
 * read, no image is decoded. Shapes are kept with their batch's sequence number, so they can be split at the drift
 * afterwards; batches are also counted per source.
 */
final class CameraBoxes implements AutoCloseable {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final String cameraSource;
    private final KafkaConsumer<String, TrainingBatch> consumer;
    private final List<long[]> camera = new ArrayList<>();        // {sequence, index into shapes}
    private final List<Shape> shapes = new ArrayList<>();
    private final TreeMap<String, Long> batches = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    CameraBoxes(ConfigSource kafka, String cameraSource) {
        this.cameraSource = cameraSource;
        this.consumer = KafkaClients.consumer(kafka, null, Topics.TRAIN_BATCHES);
        this.thread = new Thread(this::loop, "demo-camera-boxes");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRAIN_BATCHES.name(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, TrainingBatch> r : consumer.poll(Duration.ofMillis(300))) {
                    add(r.value());
                }
            }
            // closing: read up to the end offsets of now, so that every batch written before close() is counted
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, TrainingBatch> r : consumer.poll(Duration.ofMillis(300))) {
                    add(r.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private synchronized void add(TrainingBatch b) {
        batches.merge(b.getSourceId(), 1L, Long::sum);
        if (!b.getSourceId().equals(cameraSource)) {
            return;
        }
        for (TrainingImage image : b.getImagesList()) {
            for (ObjectBox o : image.getBoxesList()) {
                double w = o.getX2Px() - o.getX1Px();
                double h = o.getY2Px() - o.getY1Px();
                if (w > 0 && h > 0) {
                    camera.add(new long[] {b.getSequenceNumber(), shapes.size()});
                    shapes.add(new Shape(w, h));
                }
            }
        }
    }

    /** The camera's box shapes of batches {@code [from, to)}. */
    synchronized List<Shape> shapes(long from, long to) {
        List<Shape> out = new ArrayList<>();
        for (long[] c : camera) {
            if (c[0] >= from && c[0] < to) {
                out.add(shapes.get((int) c[1]));
            }
        }
        return out;
    }

    /** Training batches on the topic by source. */
    synchronized TreeMap<String, Long> batches() {
        return new TreeMap<>(batches);
    }

    /** Reads what is on the topic now, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(DRAIN_TIMEOUT.toMillis() + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
