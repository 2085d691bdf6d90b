package dev.abo.loader;

import java.util.Optional;

import dev.abo.proto.training.v1.TrainingBatch;

/**
 * Where one loader's batches for one topic go: one partition (the default partitioner's choice for the
 * key, so every batch of a source is on one partition, in order), the key, and the bounds on sending.
 */
final class Outbox {

    private final String topic;
    private final int partition;
    private final String key;
    private final BatchSender sender;
    private final Optional<Backpressure> backpressure;
    private final LoaderMetrics metrics;

    Outbox(String topic, int partition, String key, BatchSender sender, Optional<Backpressure> backpressure,
           LoaderMetrics metrics) {
        this.topic = topic;
        this.partition = partition;
        this.key = key;
        this.sender = sender;
        this.backpressure = backpressure;
        this.metrics = metrics;
    }

    String topic() {
        return topic;
    }

    int partition() {
        return partition;
    }

    /** Blocks while the lag cap or rate limit holds the loader back; false if stopped meanwhile. */
    boolean awaitTurn() throws InterruptedException {
        return backpressure.isEmpty() || backpressure.get().awaitTurn();
    }

    /** Sends batch {@code sequenceNumber}; {@code onAck} runs on the producer thread once the broker has it. */
    void send(long sequenceNumber, TrainingBatch batch, Runnable onAck) throws InterruptedException {
        sender.send(topic, partition, key, sequenceNumber, batch.toByteArray(), onAck);
        backpressure.ifPresent(Backpressure::sent);
        metrics.sequence(topic, sequenceNumber + 1);
    }

    /** A sequence number not sent (skipped): the next one is {@code next}. */
    void skipped(long next) {
        metrics.sequence(topic, next);
    }

    void flush() {
        sender.flush();
    }
}
