package dev.abo.platform.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.platform.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Moves records a consumer cannot process to {@code <topic>.dlq}, unchanged (raw key and value bytes,
 * original headers), with the reason in headers, and counts them.
 *
 * <p>Every {@code publish} waits until the dead-letter topic has acknowledged the record, so a consumer
 * that dead-letters and then commits past the offset loses nothing. If the publish fails it throws
 * {@link DeadLetterException}: treat it as fatal (do not commit, stop, restart later).
 *
 * <p>Headers (UTF-8 text): {@value #ERROR_CLASS}, {@value #ERROR_MESSAGE}, {@value #SOURCE_TOPIC},
 * {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}, {@value #SOURCE_TIMESTAMP_MS} (when known),
 * {@value #DEAD_LETTERED_MS} and {@value #CONSUMER_GROUP} (when created with one: the group whose consumer could
 * not process the record, so that a consumer can tell its own dead letters from another group's). Counter: {@value #COUNTER} with tags {@code topic} (the source topic) and
 * {@code reason} (the error's simple class name); Prometheus shows it as {@code abo_dlq_records_total}.
 *
 * <p>A poll loop with a poison record:
 * <pre>{@code
 * try {
 *     records = consumer.poll(timeout);
 * } catch (RecordDeserializationException e) {
 *     deadLetters.publish(e);
 *     consumer.seek(e.topicPartition(), e.offset() + 1);
 *     continue;
 * }
 * }</pre>
 */
public final class DeadLetters implements AutoCloseable {

    public static final String ERROR_CLASS = "dlq.error.class";
    public static final String ERROR_MESSAGE = "dlq.error.message";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String SOURCE_TIMESTAMP_MS = "dlq.source.timestamp.ms";
    public static final String DEAD_LETTERED_MS = "dlq.dead.lettered.ms";
    public static final String CONSUMER_GROUP = "dlq.consumer.group";
    public static final String COUNTER = "abo.dlq.records";

    /** Error messages longer than this are cut, so headers stay well inside the DLQ allowance. */
    static final int MAX_MESSAGE_CHARS = 4000;

    private final Producer<byte[], byte[]> producer;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String consumerGroup;         // null: no CONSUMER_GROUP header

    /**
     * @param producer used for the dead-letter topics only; closed by {@link #close()}
     */
    public DeadLetters(Producer<byte[], byte[]> producer, MeterRegistry registry, Clock clock) {
        this(producer, registry, clock, null);
    }

    /**
     * @param consumerGroup written as {@value #CONSUMER_GROUP} into every dead letter; {@code null}: no such header
     */
    public DeadLetters(Producer<byte[], byte[]> producer, MeterRegistry registry, Clock clock, String consumerGroup) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.consumerGroup = consumerGroup;
    }

    /** With its own producer (the project defaults, sized for the largest dead-letter topic). */
    public static DeadLetters create(ConfigSource config, MeterRegistry registry) {
        return create(config, registry, null);
    }

    /** With its own producer; every dead letter names {@code consumerGroup} ({@value #CONSUMER_GROUP}). */
    public static DeadLetters create(ConfigSource config, MeterRegistry registry, String consumerGroup) {
        TopicSpec<?, ?> largest = Topics.all().stream()
                .filter(t -> t.name().endsWith(TopicSpec.DLQ_SUFFIX))
                .max(Comparator.comparingInt(TopicSpec::maxMessageBytes))
                .orElseThrow();
        return new DeadLetters(new KafkaProducer<>(KafkaClients.producerProperties(config, largest),
                new ByteArraySerializer(), new ByteArraySerializer()), registry, Clock.systemUTC(), consumerGroup);
    }

    /** Dead-letters the record that {@code KafkaConsumer.poll} could not deserialize; the reason is its cause. */
    public RecordMetadata publish(RecordDeserializationException e) {
        Throwable reason = e.getCause() != null ? e.getCause() : e;
        return publish(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                e.timestamp() >= 0 ? e.timestamp() : null, bytes(e.keyBuffer()), bytes(e.valueBuffer()), e.headers(), reason);
    }

    /**
     * Dead-letters a record that was decoded but could not be processed (e.g. an unknown schema version);
     * key and value are encoded again with the topic's serializers.
     */
    public <K, V> RecordMetadata publish(ConsumerRecord<K, V> record, TopicSpec<K, V> topic, Throwable reason) {
        if (!record.topic().equals(topic.name())) {
            throw new IllegalArgumentException("record from " + record.topic() + " dead-lettered as " + topic.name());
        }
        byte[] key = topic.keySerde().serializer().serialize(record.topic(), record.key());
        byte[] value = topic.valueSerde().serializer().serialize(record.topic(), record.value());
        return publish(record.topic(), record.partition(), record.offset(), record.timestamp(), key, value,
                record.headers(), reason);
    }

    /**
     * Dead-letters raw bytes read from {@code topic}/{@code partition} at {@code offset}.
     *
     * @param timestampMs the source record's timestamp, or {@code null} if unknown
     * @param headers     the source record's headers, copied first; may be {@code null}
     * @return where the dead letter was written
     * @throws DeadLetterException if the dead-letter topic did not acknowledge the record
     */
    public RecordMetadata publish(String topic, int partition, long offset, Long timestampMs, byte[] key, byte[] value,
                                  Headers headers, Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        long now = clock.millis();
        RecordHeaders out = new RecordHeaders();
        if (headers != null) {
            for (Header h : headers) {
                out.add(h.key(), h.value());
            }
        }
        out.add(ERROR_CLASS, utf8(reason.getClass().getName()));
        out.add(ERROR_MESSAGE, utf8(truncate(String.valueOf(reason.getMessage()))));
        out.add(SOURCE_TOPIC, utf8(topic));
        out.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        out.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        if (timestampMs != null) {
            out.add(SOURCE_TIMESTAMP_MS, utf8(Long.toString(timestampMs)));
        }
        out.add(DEAD_LETTERED_MS, utf8(Long.toString(now)));
        if (consumerGroup != null) {
            out.add(CONSUMER_GROUP, utf8(consumerGroup));
        }
        String dlq = topic + TopicSpec.DLQ_SUFFIX;
        RecordMetadata metadata;
        try {
            // the record's own timestamp is left to the producer: the broker rejects times far from its clock
            metadata = producer.send(new ProducerRecord<>(dlq, null, null, key, value, out)).get();
        } catch (ExecutionException e) {
            throw new DeadLetterException(topic, partition, offset, dlq, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException(topic, partition, offset, dlq, e);
        }
        Counter.builder(COUNTER)
                .description("Records moved to a dead-letter topic, by source topic and reason")
                .tag("topic", topic)
                .tag("reason", reason.getClass().getSimpleName())
                .register(registry)
                .increment();
        return metadata;
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    /** The dead letter was not acknowledged; the source record must not be skipped. */
    public static final class DeadLetterException extends IllegalStateException {
        DeadLetterException(String topic, int partition, long offset, String dlq, Throwable cause) {
            super("cannot dead-letter " + topic + "-" + partition + "@" + offset + " to " + dlq + ": "
                    + cause.getMessage(), cause);
        }
    }
}
