package dev.abo.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.SnapshotKey;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's side of {@code anchors.snapshots}: transactional writes (a snapshot and, if it is
 * auto-promoted, the pointer, committed together and acknowledged by the broker before returning) and the
 * replay that rebuilds a {@link RegistryState} from the beginning of the topic to its end.
 *
 * <p>The producer's {@code transactional.id} is the registry's identity as the topic's single writer:
 * opening a second log with the same id fences the first, and opening aborts what a crashed predecessor
 * left half-written. Besides the protobuf value, a snapshot record carries headers: {@value #IDEMPOTENCY_KEY},
 * {@value #REQUEST_FINGERPRINT} and {@value #GT_SHAPE_HISTOGRAM} (JSON).
 */
final class SnapshotLog implements AutoCloseable {

    static final String IDEMPOTENCY_KEY = "abo-idempotency-key";
    static final String REQUEST_FINGERPRINT = "abo-request-fingerprint";
    static final String GT_SHAPE_HISTOGRAM = "abo-gt-shape-histogram";

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLog.class);

    /** Counts of a replay: records applied and records skipped as undecodable. */
    record ReplayStats(long applied, long skipped) {
    }

    private final RegistryConfig config;
    private final TopicSpec<String, byte[]> topic;
    private KafkaProducer<String, byte[]> producer;

    private SnapshotLog(RegistryConfig config, TopicSpec<String, byte[]> topic) {
        this.config = config;
        this.topic = topic;
    }

    /** The registry's topic: {@link Topics#ANCHOR_SNAPSHOTS} under the configured name. */
    static TopicSpec<String, byte[]> topicSpec(RegistryConfig config) {
        TopicSpec<String, byte[]> t = Topics.ANCHOR_SNAPSHOTS;
        return new TopicSpec<>(config.topic(), t.keySerde(), t.valueSerde(), t.partitions(), t.replicationFactor(), t.configs());
    }

    /** Opens the transactional producer (fencing any other writer with the same id). */
    static SnapshotLog open(RegistryConfig config) {
        SnapshotLog log = new SnapshotLog(config, topicSpec(config));
        log.producer = log.newProducer();
        return log;
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Map<String, Object> p = KafkaClients.producerProperties(config.source(), topic);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.kafkaTimeout().toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");   // one small transaction per request: do not wait for company
        KafkaProducer<String, byte[]> pr = new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
        try {
            pr.initTransactions();
        } catch (RuntimeException e) {
            pr.close(Duration.ZERO);
            throw e;
        }
        return pr;
    }

    /**
     * Writes {@code snapshot} and, if present, {@code pointer} in one transaction and returns once it is
     * committed. On failure the transaction is aborted (or, if even that fails, the producer is replaced,
     * which aborts it), so nothing of it is visible to read_committed readers.
     *
     * @throws LogWriteException the write did not happen
     */
    synchronized void append(StoredSnapshot snapshot, Optional<PromotedPointer> pointer) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        AnchorSnapshot s = snapshot.snapshot();
        Headers headers = new RecordHeaders();
        snapshot.idempotencyKey().ifPresent(k -> headers.add(IDEMPOTENCY_KEY, utf8(k)));
        headers.add(REQUEST_FINGERPRINT, utf8(snapshot.requestFingerprint()));
        snapshot.gtShapeHistogram().ifPresent(h -> headers.add(GT_SHAPE_HISTOGRAM, utf8(h.toJson().encode())));
        records.add(new ProducerRecord<>(topic.name(), null,
                SnapshotKey.version(s.getModelName(), s.getVersion()).toString(), s.toByteArray(), headers));
        pointer.ifPresent(p -> records.add(pointerRecord(p)));
        write(records);
    }

    /** Writes a promoted pointer (manual promotion or rollback), committed before returning. */
    synchronized void append(PromotedPointer pointer) {
        write(List.of(pointerRecord(pointer)));
    }

    private ProducerRecord<String, byte[]> pointerRecord(PromotedPointer p) {
        return new ProducerRecord<>(topic.name(), SnapshotKey.promoted(p.getModelName()).toString(), p.toByteArray());
    }

    private void write(List<ProducerRecord<String, byte[]>> records) {
        if (producer == null) {
            producer = newProducer();
        }
        long timeoutMs = config.kafkaTimeout().toMillis();
        try {
            producer.beginTransaction();
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get(timeoutMs, TimeUnit.MILLISECONDS);
            }
            producer.commitTransaction();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discardProducer();
            throw new LogWriteException("interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("write to {} failed, aborting the transaction: {}", topic.name(), cause.toString());
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailure) {
                discardProducer();   // the next producer's initTransactions aborts what is left
            }
            throw new LogWriteException("write to " + topic.name() + " failed: " + cause.getMessage(), cause);
        }
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // closing a broken producer: nothing more to do
            }
            producer = null;
        }
    }

    /**
     * Reads the topic from the beginning to its end offset (the last stable offset: committed
     * transactions only) and applies every record to a new state.
     *
     * @throws IllegalStateException if the end is not reached within the Kafka timeout
     */
    static RegistryState replay(RegistryConfig config, ReplayCounter counter) {
        TopicSpec<String, byte[]> topic = topicSpec(config);
        Map<String, Object> p = KafkaClients.consumerProperties(config.source(), "unused", topic);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);   // assigned, not subscribed: no group, no commits
        RegistryState state = new RegistryState();
        long applied = 0;
        long skipped = 0;
        long deadline = System.nanoTime() + config.kafkaTimeout().toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), config.kafkaTimeout());
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, config.kafkaTimeout()));
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replay of " + topic.name() + " did not reach the end offsets " + end
                            + " within " + config.kafkaTimeout().toMillis() + " ms");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;   // written after the replay started: the registry is the only writer, so none
                    }
                    if (applyRecord(state, r)) {
                        applied++;
                    } else {
                        skipped++;
                    }
                }
            }
        }
        counter.count(new ReplayStats(applied, skipped));
        return state;
    }

    /** Receives the counts of each replay (for metrics). */
    interface ReplayCounter {
        void count(ReplayStats stats);
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static boolean applyRecord(RegistryState state, ConsumerRecord<String, byte[]> r) {
        SnapshotKey key;
        try {
            key = SnapshotKey.parse(r.key());
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return false;
        }
        try {
            if (key instanceof SnapshotKey.Version v) {
                if (r.value() == null) {
                    state.removeVersion(v.model(), v.version());
                    return true;
                }
                AnchorSnapshot s = AnchorSnapshot.parseFrom(r.value());
                Optional<ShapeHistogram> histogram = header(r.headers(), GT_SHAPE_HISTOGRAM)
                        .map(json -> ShapeHistogram.fromJson(new JsonObject(json)));
                state.apply(new StoredSnapshot(s, header(r.headers(), IDEMPOTENCY_KEY),
                        header(r.headers(), REQUEST_FINGERPRINT).orElse(""), histogram));
            } else {
                if (r.value() == null) {
                    state.removePromoted(key.model());
                    return true;
                }
                state.apply(PromotedPointer.parseFrom(r.value()));
            }
            return true;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            LOG.warn("skipping undecodable record {} at {}-{}@{}: {}", r.key(), r.topic(), r.partition(), r.offset(), e.toString());
            return false;
        }
    }

    private static Optional<String> header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(config.kafkaTimeout());
            producer = null;
        }
    }

    /** A write that did not reach the log; the caller answers 503. */
    static final class LogWriteException extends RuntimeException {
        LogWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
