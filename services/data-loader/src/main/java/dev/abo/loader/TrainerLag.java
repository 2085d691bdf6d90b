package dev.abo.loader;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the train topic is ahead of the trainer: the sum over its partitions of the end offset minus the
 * trainer group's committed offset. A partition the group has not committed counts from its first record
 * (the trainer reads from the earliest offset), so with no trainer at all the lag is the number of records
 * on the topic. Records are batches (loaders write no transactions), so the lag is in batches.
 */
final class TrainerLag {

    private final Admin admin;
    private final String topic;
    private final int partitions;
    private final String group;
    private final Duration timeout;

    TrainerLag(Admin admin, String topic, int partitions, String group, Duration timeout) {
        this.admin = admin;
        this.topic = topic;
        this.partitions = partitions;
        this.group = group;
        this.timeout = timeout;
    }

    /** The current lag, batches. */
    long measure() throws InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = get(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "committed offsets of group " + group);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all(),
                "end offsets of " + topic);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = get(admin.listOffsets(earliest).all(),
                "start offsets of " + topic);
        long lag = 0;
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata c = committed.get(tp);
            long from = Math.max(starts.get(tp).offset(), c == null ? 0 : c.offset());
            lag += Math.max(0, ends.get(tp).offset() - from);
        }
        return lag;
    }

    private <T> T get(KafkaFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SendFailedException(ErrorKind.ofSendFailure(e.getCause()), "reading the " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new SendFailedException(ErrorKind.TRANSIENT, "reading the " + what,
                    new org.apache.kafka.common.errors.TimeoutException("no answer within " + timeout.toMillis() + " ms"));
        }
    }
}
