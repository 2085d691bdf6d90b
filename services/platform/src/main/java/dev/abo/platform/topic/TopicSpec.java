package dev.abo.platform.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Everything a service needs to know about one topic: its name, how keys and values are encoded, and how
 * it is created (partitions, replication factor, topic configs). Immutable; the project's topics are the
 * constants of {@link Topics}.
 *
 * @param name              Kafka topic name
 * @param keySerde          encoding of record keys
 * @param valueSerde        encoding of record values
 * @param partitions        partition count (keys are hashed onto them, so changing it moves keys)
 * @param replicationFactor replicas per partition (1 on the one-machine broker)
 * @param configs           topic-level configs set at creation, e.g. {@code cleanup.policy=compact}
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                              short replicationFactor, Map<String, String> configs) {

    /** Suffix of the dead-letter topic of each topic. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** Room in a dead-letter record for the error headers on top of the original record. */
    public static final int DLQ_HEADER_ALLOWANCE_BYTES = 64 * 1024;
    /** Kafka's default {@code max.message.bytes} (1 MiB + record batch overhead). */
    public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (!name.matches("[a-zA-Z0-9._-]{1,249}") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid topic name '" + name + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replicationFactor must be >= 1, was " + replicationFactor);
        }
        configs = Map.copyOf(configs);
        String maxBytes = configs.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (maxBytes != null && !maxBytes.matches("[1-9][0-9]{0,9}")) {
            throw new IllegalArgumentException("topic " + name + ": max.message.bytes must be a positive integer, was '" + maxBytes + "'");
        }
    }

    /** The same topic with another replication factor (production clusters use 3). */
    public TopicSpec<K, V> withReplicationFactor(short replicationFactor) {
        return new TopicSpec<>(name, keySerde, valueSerde, partitions, replicationFactor, configs);
    }

    /** {@code cleanup.policy}, Kafka's default {@code delete} if not declared. */
    public String cleanupPolicy() {
        return configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    }

    public boolean isCompacted() {
        return cleanupPolicy().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /**
     * The largest record batch the topic accepts ({@code max.message.bytes}); producers use it as their
     * {@code max.request.size} and consumers as their {@code max.partition.fetch.bytes}.
     */
    public int maxMessageBytes() {
        return Optional.ofNullable(configs.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                .map(Integer::parseInt).orElse(KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * The dead-letter topic {@code <name>.dlq}: raw key and value bytes, one partition, delete policy, room
     * for the largest record of this topic plus the error headers.
     */
    public TopicSpec<byte[], byte[]> dlq() {
        return new TopicSpec<>(name + DLQ_SUFFIX, Serdes.ByteArray(), Serdes.ByteArray(), 1, replicationFactor,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes() + DLQ_HEADER_ALLOWANCE_BYTES)));
    }

    /** The admin request that creates this topic. */
    public NewTopic newTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    @Override
    public String toString() {
        return "TopicSpec[" + name + ", " + partitions + " partitions, rf " + replicationFactor + ", "
                + new TreeMap<>(configs) + "]";
    }
}
