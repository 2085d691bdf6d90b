package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import dev.abo.platform.kafka.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Which letters count, and where a checkpoint tells a restart to read from (the letters as {@link DeadLetters} writes them). */
class DeadLetterLogTest {

    private static final String DLQ = "t.dlq";
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    /** A letter at {@code dlqOffset} of {@link #DLQ} partition 0; null arguments leave that header out. */
    private static ConsumerRecord<byte[], byte[]> letter(long dlqOffset, String topic, Integer partition, Long offset, String group) {
        RecordHeaders h = new RecordHeaders();
        if (topic != null) {
            h.add(DeadLetters.SOURCE_TOPIC, topic.getBytes(UTF_8));
        }
        if (partition != null) {
            h.add(DeadLetters.SOURCE_PARTITION, partition.toString().getBytes(UTF_8));
        }
        if (offset != null) {
            h.add(DeadLetters.SOURCE_OFFSET, offset.toString().getBytes(UTF_8));
        }
        if (group != null) {
            h.add(DeadLetters.CONSUMER_GROUP, group.getBytes(UTF_8));
        }
        return new ConsumerRecord<>(DLQ, 0, dlqOffset, 0L, TimestampType.CREATE_TIME, 0, 0, new byte[0], new byte[0], h, Optional.empty());
    }

    @Test
    void theGroupsLettersOfTheSourceTopicCountAndACheckpointReadsFromTheFirstOneNotBehindIt() {
        DeadLetterLog log = new DeadLetterLog(DLQ, "t");
        log.remember(letter(2, "t", 0, 11L, "g"), "g");
        log.remember(letter(3, "t", 1, 7L, "g"), "g");
        log.remember(letter(4, "t", 0, 12L, "h"), "g");       // another group's: not ours to skip
        log.remember(letter(5, "t", 1, 9L, null), "g");       // written before the group header existed: counts
        log.remember(letter(6, "x", 0, 13L, "g"), "g");       // another source topic
        log.remember(letter(7, "t", 0, null, "g"), "g");      // no source offset: ignored
        log.readTo(0, 8);

        assertThat(log.size()).isEqualTo(3);
        assertThat(log.contains(T0, 11)).isTrue();
        assertThat(log.contains(T1, 7)).isTrue();
        assertThat(log.contains(T1, 9)).isTrue();
        assertThat(log.contains(T0, 12)).isFalse();
        assertThat(log.contains(T0, 13)).isFalse();

        // positions past 11 of t-0 and 7 of t-1, not yet past 9 of t-1: its letter (dlq offset 5) is where a restart reads from
        assertThat(log.scanFrom(Map.of(T0, 12L, T1, 8L))).containsExactly(new TrainerState.PartitionOffset(DLQ, 0, 5));
        assertThat(log.contains(T0, 11)).as("forgotten once behind a checkpoint").isFalse();
        assertThat(log.size()).isEqualTo(1);

        // a letter written now, then every remembered record behind the positions: the end, after the written letter
        log.written(new RecordMetadata(new TopicPartition(DLQ, 0), 8, 0, 0L, 0, 0));
        assertThat(log.scanFrom(Map.of(T0, 20L, T1, 10L))).containsExactly(new TrainerState.PartitionOffset(DLQ, 0, 9));
        assertThat(log.size()).isZero();
    }

    @Test
    void aPartitionWithoutAPositionKeepsItsLettersAndAnEmptyTopicReadsFromZero() {
        DeadLetterLog log = new DeadLetterLog(DLQ, "t");
        log.readTo(0, 0);
        assertThat(log.scanFrom(Map.of())).containsExactly(new TrainerState.PartitionOffset(DLQ, 0, 0));

        log.remember(letter(0, "t", 1, 3L, "g"), "g");
        log.readTo(0, 1);
        assertThat(log.scanFrom(Map.of(T0, 5L))).containsExactly(new TrainerState.PartitionOffset(DLQ, 0, 0));
        assertThat(log.contains(T1, 3)).isTrue();
    }
}
