package dev.abo.platform.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.broker.TopicReader;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.platform.topic.Topics;
import dev.abo.platform.topic.UndecodableRecordException;
import dev.abo.proto.training.v1.TrainingBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLettersIT {

    private static final long NOW = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();

    private final ConfigSource config = ConfigSource.of(Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", EmbeddedKafkaBroker.sharedForTests().bootstrapServers()));

    @Test
    void poisonRecordGoesToTheDlqWithItsReasonAndTheConsumerMovesOn() throws Exception {
        try (Admin admin = KafkaClients.admin(config)) {
            TopicAdmin.ensure(admin, Topics.all());
        }
        TopicPartition p0 = new TopicPartition("train.batches", 0);
        TrainingBatch first = batch(0);
        TrainingBatch second = batch(1);
        byte[] garbage = {0x0A, 0x05, 'x'};
        long base;
        try (KafkaProducer<String, TrainingBatch> producer = KafkaClients.producer(config, Topics.TRAIN_BATCHES);
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(KafkaClients.producerProperties(config, Topics.TRAIN_BATCHES),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            base = producer.send(new ProducerRecord<>(p0.topic(), 0, "dlq-test", first)).get().offset();
            ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(p0.topic(), 0, "dlq-test".getBytes(UTF_8), garbage);
            poison.headers().add("trace", new byte[] {7});
            raw.send(poison).get();
            producer.send(new ProducerRecord<>(p0.topic(), 0, "dlq-test", second)).get();
        }

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<TrainingBatch> processed = new ArrayList<>();
        try (DeadLetters deadLetters = new DeadLetters(new KafkaProducer<>(
                KafkaClients.producerProperties(config, Topics.TRAIN_BATCHES.dlq()),
                new ByteArraySerializer(), new ByteArraySerializer()), registry, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
             KafkaConsumer<String, TrainingBatch> consumer = KafkaClients.consumer(config, "dlq-test", Topics.TRAIN_BATCHES)) {
            consumer.assign(List.of(p0));
            consumer.seek(p0, base);
            while (consumer.position(p0) < base + 3) {
                try {
                    for (ConsumerRecord<String, TrainingBatch> r : consumer.poll(Duration.ofMillis(200))) {
                        processed.add(r.value());
                    }
                } catch (RecordDeserializationException e) {
                    assertThat(e.offset()).isEqualTo(base + 1);
                    deadLetters.publish(e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        assertThat(processed).containsExactly(first, second);

        List<ConsumerRecord<byte[], byte[]>> letters = TopicReader.readAll(config.requiredString("KAFKA_BOOTSTRAP_SERVERS"),
                "train.batches.dlq").stream().filter(r -> r.key() != null && new String(r.key(), UTF_8).equals("dlq-test")).toList();
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(letter.value()).isEqualTo(garbage);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : letter.headers()) {
            headers.put(h.key(), h.key().equals("trace") ? String.valueOf(h.value()[0]) : new String(h.value(), UTF_8));
        }
        assertThat(headers.keySet()).containsExactly("trace", "dlq.error.class", "dlq.error.message", "dlq.source.topic",
                "dlq.source.partition", "dlq.source.offset", "dlq.source.timestamp.ms", "dlq.dead.lettered.ms");
        assertThat(headers).containsEntry("trace", "7")
                .containsEntry("dlq.error.class", UndecodableRecordException.class.getName())
                .containsEntry("dlq.source.topic", "train.batches")
                .containsEntry("dlq.source.partition", "0")
                .containsEntry("dlq.source.offset", String.valueOf(base + 1))
                .containsEntry("dlq.dead.lettered.ms", String.valueOf(NOW));
        assertThat(headers.get("dlq.error.message"))
                .startsWith("cannot decode 3 bytes from topic train.batches as training.v1.TrainingBatch: ");
        assertThat(registry.get(DeadLetters.COUNTER)
                .tags("topic", "train.batches", "reason", "UndecodableRecordException").counter().count()).isEqualTo(1.0);
        assertThat(registry.find(DeadLetters.COUNTER).counters()).hasSize(1);
    }

    @Test
    void decodedButUnusableRecordIsReEncodedForTheDlqWithTheConsumerGroup() throws Exception {
        try (Admin admin = KafkaClients.admin(config)) {
            TopicAdmin.ensure(admin, Set.of(Topics.EVAL_BATCHES, Topics.EVAL_BATCHES.dlq()));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainingBatch unknownVersion = batch(5).toBuilder().setSchemaVersion(99).build();
        ConsumerRecord<String, TrainingBatch> record = new ConsumerRecord<>("eval.batches", 0, 17, "eval-src", unknownVersion);
        try (DeadLetters deadLetters = DeadLetters.create(config, registry, "eval-group")) {
            var metadata = deadLetters.publish(record, Topics.EVAL_BATCHES,
                    new IllegalArgumentException("schema_version 99 is not supported"));
            assertThat(metadata.topic()).isEqualTo("eval.batches.dlq");
        }
        ConsumerRecord<byte[], byte[]> letter = TopicReader.readAll(config.requiredString("KAFKA_BOOTSTRAP_SERVERS"),
                "eval.batches.dlq").stream().filter(r -> new String(r.key(), UTF_8).equals("eval-src")).findFirst().orElseThrow();
        assertThat(TrainingBatch.parseFrom(letter.value())).isEqualTo(unknownVersion);
        assertThat(new String(letter.headers().lastHeader("dlq.error.message").value(), UTF_8))
                .isEqualTo("schema_version 99 is not supported");
        assertThat(new String(letter.headers().lastHeader("dlq.source.offset").value(), UTF_8)).isEqualTo("17");
        assertThat(new String(letter.headers().lastHeader("dlq.consumer.group").value(), UTF_8)).isEqualTo("eval-group");
        assertThat(registry.get(DeadLetters.COUNTER).tags("topic", "eval.batches", "reason", "IllegalArgumentException")
                .counter().count()).isEqualTo(1.0);
    }

    private static TrainingBatch batch(long sequence) {
        return TrainingBatch.newBuilder().setSchemaVersion(1).setSourceId("dlq-test").setSequenceNumber(sequence)
                .setInputWidthPx(64).setInputHeightPx(64).setCreatedUnixMs(NOW).build();
    }
}
