package dev.abo.platform.topic;

import java.util.List;
import java.util.Map;

import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The project's topics, declared once. One writer per topic (see DESIGN.md): the data-loaders write
 * {@link #TRAIN_BATCHES} and {@link #EVAL_BATCHES}, the anchor registry alone writes
 * {@link #ANCHOR_SNAPSHOTS}; every consumer may write the {@code .dlq} topic of what it reads.
 *
 * <p>Replication factor 1 (the one-machine broker); use {@link TopicSpec#withReplicationFactor} or
 * {@link #all(short)} for a real cluster.
 */
public final class Topics {

    /** Largest training batch: 16 MiB. */
    public static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

    /** Anchor snapshots are small (a few hundred bytes); Kafka's default limit is ample. */
    public static final int MAX_SNAPSHOT_BYTES = TopicSpec.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;

    /** Decodes values of {@code <model>/<version>} keys on {@link #ANCHOR_SNAPSHOTS}. */
    public static final ProtobufSerde<AnchorSnapshot> ANCHOR_SNAPSHOT_SERDE = ProtobufSerde.of(AnchorSnapshot.getDefaultInstance());
    /** Decodes values of {@code <model>/promoted} keys on {@link #ANCHOR_SNAPSHOTS}. */
    public static final ProtobufSerde<PromotedPointer> PROMOTED_POINTER_SERDE = ProtobufSerde.of(PromotedPointer.getDefaultInstance());

    /**
     * Training batches. Key: the batch's {@code source_id} (UTF-8), so one source's batches stay in order on
     * one partition. Value: {@code training.v1.TrainingBatch}. Three partitions; compression is chosen by
     * the producer ({@code compression.type=producer}: the broker stores batches as they arrive).
     */
    public static final TopicSpec<String, TrainingBatch> TRAIN_BATCHES = batches("train.batches", 3);

    /** The held-out stream for evaluation: as {@link #TRAIN_BATCHES}, one partition. */
    public static final TopicSpec<String, TrainingBatch> EVAL_BATCHES = batches("eval.batches", 1);

    /**
     * The durable log of anchor snapshots, compacted. Keys are {@link SnapshotKey}s as strings. Values are
     * raw bytes because the topic holds two message types, chosen by the key:
     * {@code <model>/<version>} -> {@code anchors.v1.AnchorSnapshot} (decode with
     * {@link #ANCHOR_SNAPSHOT_SERDE}), {@code <model>/promoted} -> {@code anchors.v1.PromotedPointer}
     * (decode with {@link #PROMOTED_POINTER_SERDE}).
     */
    public static final TopicSpec<String, byte[]> ANCHOR_SNAPSHOTS = new TopicSpec<>("anchors.snapshots",
            Serdes.String(), Serdes.ByteArray(), 1, (short) 1,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_SNAPSHOT_BYTES)));

    private Topics() {
    }

    private static TopicSpec<String, TrainingBatch> batches(String name, int partitions) {
        return new TopicSpec<>(name, Serdes.String(), ProtobufSerde.of(TrainingBatch.getDefaultInstance()),
                partitions, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_BATCH_BYTES),
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer"));
    }

    /** The three topics and their dead-letter topics, replication factor 1. */
    public static List<TopicSpec<?, ?>> all() {
        return List.of(TRAIN_BATCHES, TRAIN_BATCHES.dlq(), EVAL_BATCHES, EVAL_BATCHES.dlq(),
                ANCHOR_SNAPSHOTS, ANCHOR_SNAPSHOTS.dlq());
    }

    /** {@link #all()} with another replication factor. */
    public static List<TopicSpec<?, ?>> all(short replicationFactor) {
        return all().stream().<TopicSpec<?, ?>>map(t -> t.withReplicationFactor(replicationFactor)).toList();
    }
}
