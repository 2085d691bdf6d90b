package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.abo.broker.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The lag cap against the trainer group's committed offsets, on a real broker. */
class BackpressureIT {

    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.sharedForTests();

    @Test
    void stopsExactlyMaxLagBatchesAheadOfTheTrainerAndGoesOnWhenItCommits() throws Exception {
        Map<String, String> env = LoaderServiceIT.env("it-lag", "ABO_MAX_LAG_BATCHES", "5", "ABO_LAG_POLL_MS", "100");
        MeterRegistry registry = new SimpleMeterRegistry();
        LoaderService loader = new LoaderService(LoaderConfig.from(env), registry, java.time.Clock.systemUTC());
        AtomicReference<LoaderResult> result = new AtomicReference<>();
        Thread thread = new Thread(() -> result.set(loader.run()), "loader");
        thread.start();

        // the trainer group has committed nothing: everything on the topic counts
        TopicRecords.await("the loader pauses", () -> loader.metrics().isPaused());
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-lag.train")).hasSize(5);
        assertThat(registry.get("abo.loader.lag.batches").gauge().value()).isEqualTo(5.0);
        assertThat(registry.get("abo.loader.paused").gauge().value()).isEqualTo(1.0);

        // the trainer commits past 3 of the 5 batches: lag 2, so the loader may send 3 more
        TopicPartition tp = new TopicPartition("it-lag.train", LoaderService.partitionFor("synthetic:mixed/loader-0", 3));
        try (KafkaConsumer<byte[], byte[]> trainer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-lag.trainer"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            trainer.assign(java.util.List.of(tp));
            trainer.commitSync(Map.of(tp, new OffsetAndMetadata(3)));
        }
        TopicRecords.await("3 more batches and a pause", () -> loader.metrics().batches("it-lag.train") >= 8
                && loader.metrics().isPaused());
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-lag.train"))
                .extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(loader.metrics().lag()).isEqualTo(5);

        loader.stop();
        thread.join();
        assertThat(result.get().outcome()).isEqualTo(LoaderResult.Outcome.STOPPED);
        assertThat(result.get().exitCode()).isZero();
        assertThat(result.get().message()).isEqualTo("stopped before batch 8 of 'synthetic:mixed/loader-0' on it-lag.train");
    }
}
