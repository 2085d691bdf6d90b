package dev.abo.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.Topics;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private final ConfigSource config = ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));

    @Test
    void producerDefaultsFollowTheTopic() {
        assertThat(KafkaClients.producerProperties(config, Topics.TRAIN_BATCHES)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "acks", "all",
                "enable.idempotence", "true",
                "compression.type", "lz4",
                "linger.ms", "10",
                "batch.size", "1048576",
                "max.request.size", "16777216",
                "buffer.memory", "33554432"));
        assertThat(KafkaClients.producerProperties(config, Topics.ANCHOR_SNAPSHOTS)).containsEntry("max.request.size", "1048588");
    }

    @Test
    void consumerDefaults() {
        assertThat(KafkaClients.consumerProperties(config, "trainer", Topics.TRAIN_BATCHES)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "group.id", "trainer",
                "enable.auto.commit", "false",
                "auto.offset.reset", "earliest",
                "isolation.level", "read_committed",
                "max.partition.fetch.bytes", "16777216",
                "fetch.max.bytes", "52428800"));
    }

    @Test
    void kafkaSettingsOverrideDefaultsOnlyForClientsThatKnowThem() {
        ConfigSource c = config.with(Map.of(
                "KAFKA_COMPRESSION_TYPE", "zstd",
                "KAFKA_MAX_REQUEST_SIZE", "8388608",
                "KAFKA_ENABLE_AUTO_COMMIT", "true",
                "KAFKA_PORT", "tcp://10.0.0.7:9092"));   // a Kubernetes service link, not a client property
        assertThat(KafkaClients.producerProperties(c, Topics.TRAIN_BATCHES))
                .containsEntry("compression.type", "zstd")
                .containsEntry("max.request.size", "8388608")
                .doesNotContainKeys("enable.auto.commit", "port");
        assertThat(KafkaClients.consumerProperties(c, "g", Topics.TRAIN_BATCHES))
                .containsEntry("enable.auto.commit", "true")
                .doesNotContainKeys("compression.type", "max.request.size", "port");
    }

    @Test
    void bootstrapServersAreRequired() {
        assertThatThrownBy(() -> KafkaClients.adminProperties(ConfigSource.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("KAFKA_BOOTSTRAP_SERVERS is not set: expected host:port[,host:port...] of the Kafka brokers");
    }
}
