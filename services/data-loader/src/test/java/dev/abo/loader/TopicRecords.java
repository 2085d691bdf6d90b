package dev.abo.loader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Test support: a whole topic read with a plain consumer (no group), and waiting for a condition. */
final class TopicRecords {

    /** One record as stored: where, its key, its value bytes and the sequence number inside. */
    record Stored(int partition, long offset, String key, byte[] value, long sequenceNumber) {
    }

    private TopicRecords() {
    }

    /** Every record of {@code topic} from the beginning to the current end, by partition then offset. */
    static List<Stored> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(EmbeddedKafkaBroker.MESSAGE_MAX_BYTES)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Stored> out = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Stored(r.partition(), r.offset(), r.key(), r.value(), sequence(r.value())));
                }
            }
            out.sort(Comparator.comparingInt(Stored::partition).thenComparingLong(Stored::offset));
            return out;
        }
    }

    private static long sequence(byte[] value) {
        try {
            return TrainingBatch.parseFrom(value).getSequenceNumber();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a TrainingBatch", e);
        }
    }

    /** Waits (up to a minute: a hung loader fails the test, a slow machine does not) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
