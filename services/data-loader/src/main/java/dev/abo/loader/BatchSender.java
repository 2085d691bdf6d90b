package dev.abo.loader;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batch records with at most {@code maxInFlight} unacknowledged at a time: {@link #send} blocks
 * (interruptibly) while that many are in flight, so a loader can never queue more than that in the
 * producer's buffer however fast it assembles. The first failed send is kept and thrown, as a
 * {@link SendFailedException}, from the next {@link #send} or {@link #flush}. Used by one thread; the
 * acknowledgement callbacks run on the producer's I/O thread, in send order for one partition.
 */
final class BatchSender {

    private static final Logger LOG = LoggerFactory.getLogger(BatchSender.class);

    private final Producer<String, byte[]> producer;
    private final int maxInFlight;
    private final Semaphore permits;
    private final LoaderMetrics metrics;
    private final AtomicReference<SendFailedException> failure = new AtomicReference<>();

    BatchSender(Producer<String, byte[]> producer, int maxInFlight, LoaderMetrics metrics) {
        this.producer = producer;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.metrics = metrics;
    }

    /**
     * Sends one batch; {@code onAck} runs on the producer's thread after the broker acknowledged it.
     *
     * @throws SendFailedException  if this or an earlier send failed
     * @throws InterruptedException if interrupted while waiting for a free in-flight slot
     */
    void send(String topic, int partition, String key, long sequenceNumber, byte[] value, Runnable onAck)
            throws InterruptedException {
        throwIfFailed();
        permits.acquire();
        metrics.inFlight(inFlight());
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, value), (metadata, error) -> {
                permits.release();
                metrics.inFlight(inFlight());
                if (error == null) {
                    metrics.acked(topic, value.length);
                    onAck.run();
                } else {
                    SendFailedException f = new SendFailedException(ErrorKind.ofSendFailure(error), what(topic, sequenceNumber), error);
                    if (!failure.compareAndSet(null, f)) {
                        LOG.warn("also failed: {}", f.getMessage());
                    }
                }
            });
        } catch (KafkaException e) {
            // refused before it was queued (e.g. larger than max.request.size, producer closed)
            permits.release();
            metrics.inFlight(inFlight());
            if (e instanceof org.apache.kafka.common.errors.InterruptException) {
                throw e;
            }
            throw new SendFailedException(ErrorKind.ofSendFailure(e), what(topic, sequenceNumber), e);
        }
        throwIfFailed();
    }

    private static String what(String topic, long sequenceNumber) {
        return "batch " + sequenceNumber + " to " + topic;
    }

    /** Waits until every batch sent so far is acknowledged or failed; throws the first failure. */
    void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Batches sent and not yet acknowledged. */
    int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    void throwIfFailed() {
        SendFailedException f = failure.get();
        if (f != null) {
            throw f;
        }
    }

    /** Flushes and closes the producer (graceful). */
    void close() {
        producer.close();
    }

    /** Closes the producer at once: batches not yet acknowledged are failed, as in a crash. */
    void abort() {
        boolean interrupted = Thread.interrupted();   // close(ZERO) must not trip over our own interrupt
        try {
            producer.close(Duration.ZERO);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
