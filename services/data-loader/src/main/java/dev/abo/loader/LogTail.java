package dev.abo.loader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the last sequence number a source wrote, by reading its partition backwards from the end in
 * windows of {@value #WINDOW} records until a window holds a record with the source's key. The log is
 * the truth: whatever the broker acknowledged before a crash (or even after the crashed process stopped
 * waiting) is found, so a restarted loader neither repeats nor skips a batch, and needs no state of its
 * own. The cost is reading the records written since its last one (other loaders on the same partition),
 * bounded by {@code maxRecords}.
 */
final class LogTail {

    /** Records read per backward step. */
    static final int WINDOW = 64;

    private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);

    /**
     * What the scan found.
     *
     * @param lastSequence    the highest sequence number of the key in the first window (from the end)
     *                        that had one; empty if none was found
     * @param reachedLogStart whether the scan read back to the partition's first record, so "none found"
     *                        means the source never wrote (or retention deleted all its records)
     * @param firstOffset     lowest offset read
     * @param endOffset       the partition's end offset when the scan began
     */
    record Scan(OptionalLong lastSequence, boolean reachedLogStart, long firstOffset, long endOffset) {
    }

    private LogTail() {
    }

    /**
     * @param consumer   a consumer this call assigns to {@code partition} (and leaves assigned); values raw
     * @param maxRecords read at most this many records
     * @param timeout    for the whole scan
     * @throws IllegalStateException if the scan does not finish within {@code timeout}
     */
    static Scan scan(Consumer<String, byte[]> consumer, TopicPartition partition, String key, int maxRecords,
                     Duration timeout) {
        consumer.assign(List.of(partition));
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(List.of(partition), timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), timeout);
        long begin = begins.get(partition);
        long end = ends.get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        long to = end;
        long limit = Math.max(begin, end - maxRecords);
        while (to > limit) {
            long from = Math.max(limit, to - WINDOW);
            OptionalLong found = lastSequenceIn(consumer, partition, key, from, to, deadline);
            if (found.isPresent()) {
                return new Scan(found, from == begin, from, end);
            }
            to = from;
        }
        return new Scan(OptionalLong.empty(), to == begin, to, end);
    }

    /** The highest sequence number of {@code key} in offsets {@code [from, to)}. */
    private static OptionalLong lastSequenceIn(Consumer<String, byte[]> consumer, TopicPartition partition, String key,
                                               long from, long to, long deadline) {
        consumer.seek(partition, from);
        OptionalLong best = OptionalLong.empty();
        while (consumer.position(partition) < to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read " + partition + " offsets " + from + ".." + (to - 1)
                        + " to find the last batch of '" + key + "': too slow");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                if (r.offset() >= to || !key.equals(r.key()) || r.value() == null) {
                    continue;
                }
                try {
                    long seq = TrainingBatch.parseFrom(r.value()).getSequenceNumber();
                    if (best.isEmpty() || seq > best.getAsLong()) {
                        best = OptionalLong.of(seq);
                    }
                } catch (InvalidProtocolBufferException e) {
                    LOG.warn("{}@{} has key '{}' but is not a TrainingBatch ({}); ignored", partition, r.offset(), key,
                            e.getMessage());
                }
            }
        }
        return best;
    }
}
