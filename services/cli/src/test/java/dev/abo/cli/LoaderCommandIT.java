package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.abo.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** {@code abo loader} against a real in-process broker. */
class LoaderCommandIT {

    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.sharedForTests();

    @Test
    void writesTheRequestedBatchesAndExits0() {
        CliRun run = CliRun.of("loader", "--bootstrap", BROKER.bootstrapServers(), "--source", "synthetic:heads",
                "--source-id", "cli-heads", "--topic", "it-cli.train", "--eval-topic", "it-cli.eval", "--input-size", "64",
                "--batch-size", "2", "--eval-images", "0", "--max-batches", "3", "--metrics-port", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).endsWith("data-loader cli-heads: completed: batches 0..2 of 'cli-heads' are on it-cli.train\n");
        assertThat(keys("it-cli.train")).containsExactly("cli-heads", "cli-heads", "cli-heads");
    }

    private static List<String> keys(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> keys = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
            }
            return keys;
        }
    }
}
