package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.abo.platform.kafka.DeadLetters;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which records of the training topic its dead-letter topic already holds, so that dead-lettering is idempotent
 * per (topic, partition, offset) across a crash. The held-out topic uses it too: a restarted trainer's held-out
 * consumer re-reads the last {@code ABO_EVAL_IMAGES} records, so its dead-letter topic is read on start, from the
 * beginning (no checkpoint says where), and a re-read record found there is not written again.
 *
 * <p>A poison record is dead-lettered (acknowledged) and the partition's position moves past it, but that position
 * becomes durable only with the next checkpoint: a crash before it replays the record from the checkpoint's
 * offsets, and it would be dead-lettered a second time. The dead-letter topic is the durable record of what was
 * written, so the trainer reads it on start, from where the checkpoint says the letters of records after its
 * offsets begin ({@link #scanFrom}; from the beginning for a partition not listed: a new model, a version 1
 * checkpoint), to its end, and remembers the source offsets of the letters of this consumer group
 * ({@value DeadLetters#CONSUMER_GROUP}; a letter without that header, from before it existed, counts as this
 * group's) from the training topic. A replayed record among them is not written again.
 *
 * <p>{@link #scanFrom} for a checkpoint: per dead-letter partition the offset of the first remembered letter whose
 * record is not yet behind the checkpoint's positions (one replay may not reach all of them before the next
 * checkpoint when partitions interleave differently), else the end: the offset after the last letter written or
 * read. So a restart reads about one checkpoint interval of letters, usually none.
 */
final class DeadLetterLog {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    /** Where the dead letter of a source record is. */
    private record Letter(int partition, long offset) {
    }

    private final String dlqTopic;
    private final String sourceTopic;
    /** Source record (partition of the training topic, offset) -> its letter; only records not yet behind a checkpoint. */
    private final Map<TopicPartition, Map<Long, Letter>> present = new HashMap<>();
    /** Per dead-letter partition: the offset after every letter read or written. */
    private final Map<Integer, Long> end = new TreeMap<>();

    /** Empty: nothing read yet ({@link #read} fills it). */
    DeadLetterLog(String dlqTopic, String sourceTopic) {
        this.dlqTopic = dlqTopic;
        this.sourceTopic = sourceTopic;
    }

    /**
     * Reads {@code dlqTopic} with {@code consumer} (assigned here, no commits) from {@code from} (a partition not
     * listed: from its beginning) to its end.
     *
     * @throws IllegalStateException when it cannot be read to its end within {@code timeout}
     */
    static DeadLetterLog read(Consumer<byte[], byte[]> consumer, String dlqTopic, String sourceTopic, String group,
                              List<TrainerState.PartitionOffset> from, Duration timeout) {
        DeadLetterLog log = new DeadLetterLog(dlqTopic, sourceTopic);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(dlqTopic, timeout)) {
            partitions.add(new TopicPartition(dlqTopic, p.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<Integer, Long> start = new HashMap<>();
        for (TrainerState.PartitionOffset p : from) {
            if (p.topic().equals(dlqTopic)) {
                start.put(p.partition(), p.offset());
            }
        }
        for (TopicPartition tp : partitions) {
            Long s = start.get(tp.partition());
            if (s == null || s > ends.get(tp)) {       // not listed, or the topic was made anew since
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, s);                   // below the log start (retention): reset to the earliest
            }
        }
        int read = 0;
        while (!log.atEnd(consumer, ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + dlqTopic + " to its end " + ends + " within "
                        + timeout.toSeconds() + " s (at " + log.end + "): it says which records were dead-lettered before a restart");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                read++;
                log.remember(r, group);
                log.readTo(r.partition(), r.offset() + 1);
            }
        }
        LOG.info("read {} dead letters of {} (from {}, to {}): {} of records of {} not behind the checkpoint", read,
                dlqTopic, from.isEmpty() ? "the beginning" : from, log.end, log.size(), sourceTopic);
        return log;
    }

    /** Whether the dead-letter topic holds the record at {@code offset} of {@code partition} of the training topic. */
    boolean contains(TopicPartition partition, long offset) {
        return present.getOrDefault(partition, Map.of()).containsKey(offset);
    }

    /** The trainer wrote a dead letter to {@code letter}. */
    void written(RecordMetadata letter) {
        if (letter.topic().equals(dlqTopic)) {
            end.merge(letter.partition(), letter.offset() + 1, Math::max);
        }
    }

    /** Remembered letters whose records are not behind a checkpoint yet. */
    int size() {
        return present.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Where a restart from a checkpoint at {@code positions} (per partition of the training topic the next offset
     * to consume) reads the dead-letter topic from; forgets the letters of records behind {@code positions}.
     */
    List<TrainerState.PartitionOffset> scanFrom(Map<TopicPartition, Long> positions) {
        Map<Integer, Long> from = new TreeMap<>(end);
        for (Map.Entry<TopicPartition, Map<Long, Letter>> e : present.entrySet()) {
            Long position = positions.get(e.getKey());
            Iterator<Map.Entry<Long, Letter>> it = e.getValue().entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Letter> letter = it.next();
                if (position != null && letter.getKey() < position) {
                    it.remove();
                } else {
                    from.merge(letter.getValue().partition(), letter.getValue().offset(), Math::min);
                }
            }
        }
        List<TrainerState.PartitionOffset> out = new ArrayList<>();
        from.forEach((p, o) -> out.add(new TrainerState.PartitionOffset(dlqTopic, p, o)));
        return out;
    }

    /** The dead-letter topic's partition {@code partition} was read (or found empty) up to {@code offset}. */
    void readTo(int partition, long offset) {
        end.merge(partition, offset, Math::max);
    }

    /** Remembers {@code r} if it is the letter of a record of the training topic that {@code group} could not use. */
    void remember(ConsumerRecord<byte[], byte[]> r, String group) {
        String topic = header(r, DeadLetters.SOURCE_TOPIC);
        String letterGroup = header(r, DeadLetters.CONSUMER_GROUP);
        if (!sourceTopic.equals(topic) || (letterGroup != null && !letterGroup.equals(group))) {
            return;
        }
        try {
            int partition = Integer.parseInt(header(r, DeadLetters.SOURCE_PARTITION));
            long offset = Long.parseLong(header(r, DeadLetters.SOURCE_OFFSET));
            present.computeIfAbsent(new TopicPartition(topic, partition), k -> new HashMap<>())
                    .putIfAbsent(offset, new Letter(r.partition(), r.offset()));
        } catch (NumberFormatException e) {     // also a missing header (null)
            LOG.warn("{}-{}@{} names no source partition and offset: ignored", r.topic(), r.partition(), r.offset());
        }
    }

    private boolean atEnd(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        boolean done = true;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            long position = consumer.position(e.getKey());
            readTo(e.getKey().partition(), position);
            done &= position >= e.getValue();
        }
        return done;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), UTF_8);
    }
}
