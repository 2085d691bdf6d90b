package dev.abo.platform.kafka;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka clients with the project's defaults, overridable by {@code KAFKA_*} settings (see
 * {@link ConfigSource#kafkaProperties()}); {@code KAFKA_BOOTSTRAP_SERVERS} is required.
 *
 * <p>A {@code KAFKA_*} setting reaches a client only if that client knows the property, so
 * {@code KAFKA_LINGER_MS} affects producers and not consumers. Unknown names are ignored rather than
 * rejected, because Kubernetes service links put {@code KAFKA_PORT}, {@code KAFKA_SERVICE_HOST}, ... into
 * the environment of every pod when a Service is called {@code kafka}.
 *
 * <p>Producer defaults: {@code acks=all} and idempotence (no loss, no duplicates on retry);
 * {@code compression.type=lz4}; {@code linger.ms=10}; {@code batch.size=1 MiB} (the 16 KiB default is
 * smaller than one batch of images, so every record would go alone); {@code max.request.size} = the topic's
 * {@code max.message.bytes}. Why lz4: JPEG bytes hardly compress (32 VOC JPEGs per record: lz4 saved 1.2 %,
 * zstd 2.3 %), and lz4 is the cheaper codec on the producer, whose cores also decode and augment images;
 * set {@code KAFKA_COMPRESSION_TYPE=zstd} for raw RGB payloads, which compress well.
 *
 * <p>Consumer defaults: {@code enable.auto.commit=false} (commit explicitly after processing; the trainer
 * commits with each checkpoint), {@code auto.offset.reset=earliest}, {@code isolation.level=read_committed},
 * {@code max.partition.fetch.bytes} = the topic's {@code max.message.bytes}.
 */
public final class KafkaClients {

    public static final String BOOTSTRAP_KEY = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String DEFAULT_COMPRESSION = "lz4";
    public static final int DEFAULT_LINGER_MS = 10;
    public static final int DEFAULT_BATCH_BYTES = 1024 * 1024;

    private KafkaClients() {
    }

    /** Producer properties for writing {@code topic}. */
    public static Map<String, Object> producerProperties(ConfigSource config, TopicSpec<?, ?> topic) {
        Map<String, Object> p = base(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(DEFAULT_LINGER_MS));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(DEFAULT_BATCH_BYTES));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(topic.maxMessageBytes()));
        // the buffer must hold at least one largest record (default 32 MiB)
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(Math.max(32L << 20, 2L * topic.maxMessageBytes())));
        return overridden(p, config, ProducerConfig.configNames());
    }

    /** Consumer properties for reading {@code topic} in consumer group {@code groupId}. */
    public static Map<String, Object> consumerProperties(ConfigSource config, String groupId, TopicSpec<?, ?> topic) {
        Map<String, Object> p = base(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(topic.maxMessageBytes()));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(Math.max(50 << 20, topic.maxMessageBytes())));
        return overridden(p, config, ConsumerConfig.configNames());
    }

    public static Map<String, Object> adminProperties(ConfigSource config) {
        return overridden(base(config), config, AdminClientConfig.configNames());
    }

    /** A producer for {@code topic}, with its key and value serializers. */
    public static <K, V> KafkaProducer<K, V> producer(ConfigSource config, TopicSpec<K, V> topic) {
        return new KafkaProducer<>(producerProperties(config, topic),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** A consumer of {@code topic} (not yet subscribed), with its key and value deserializers. */
    public static <K, V> KafkaConsumer<K, V> consumer(ConfigSource config, String groupId, TopicSpec<K, V> topic) {
        return new KafkaConsumer<>(consumerProperties(config, groupId, topic),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    public static Admin admin(ConfigSource config) {
        return Admin.create(adminProperties(config));
    }

    private static Map<String, Object> base(ConfigSource config) {
        Map<String, Object> p = new TreeMap<>();
        String bootstrap = config.optionalString(BOOTSTRAP_KEY).orElseThrow(() -> new ConfigException(BOOTSTRAP_KEY, null,
                "host:port[,host:port...] of the Kafka brokers"));
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private static Map<String, Object> overridden(Map<String, Object> defaults, ConfigSource config, Set<String> known) {
        config.kafkaProperties().forEach((name, value) -> {
            if (known.contains(name)) {
                defaults.put(name, value);
            }
        });
        return defaults;
    }
}
