package dev.abo.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.SnapshotKey;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import dev.abo.platform.registry.RegistryClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the promoted pointer of one model on {@code anchors.snapshots} (read from the beginning, no
 * consumer group, so every replica sees the whole log) and hot-swaps the {@link ModelHolder}: on a new
 * pointer it downloads the checkpoint through the registry (SHA-256 checked against the registry and
 * against the snapshot record), loads it aside and swaps atomically. A failed download or load is counted
 * and logged and leaves the model being served in place; the same version is not retried until the
 * pointer moves. One exception: the pointer can reach this follower before the registry instance it asks has
 * applied the same record (both read the topic), so a 404 for the promoted version is retried at every poll
 * for {@link #NOT_YET_VISIBLE_RETRY} before it counts as a failure. Records whose keys or values cannot be
 * decoded are counted as skipped.
 */
public final class SnapshotFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);
    /** How long a promoted version the registry answers 404 for is retried (it may not have applied the record yet). */
    static final Duration NOT_YET_VISIBLE_RETRY = Duration.ofSeconds(30);

    private final String model;
    private final String topic;
    private final ConfigSource kafka;
    private final RegistryClient registry;
    private final Path modelDir;
    private final ModelHolder holder;
    private final InferenceMetrics metrics;
    private final Map<Long, AnchorSnapshot> snapshots = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private long attempted = -1;
    private PromotedPointer pending;
    private long pendingSinceNanos;
    private long skipped;
    private Thread thread;

    public SnapshotFollower(String model, String topic, ConfigSource kafka, RegistryClient registry, Path modelDir,
                            ModelHolder holder, InferenceMetrics metrics) {
        this.model = model;
        this.topic = topic;
        this.kafka = kafka;
        this.registry = registry;
        this.modelDir = modelDir;
        this.holder = holder;
        this.metrics = metrics;
    }

    public static SnapshotFollower start(InferenceConfig config, RegistryClient registry, ModelHolder holder, InferenceMetrics metrics) {
        SnapshotFollower f = new SnapshotFollower(config.model(), config.snapshotTopic(), config.source(), registry,
                config.modelDir(), holder, metrics);
        f.start();
        return f;
    }

    public synchronized void start() {
        thread = new Thread(this::loop, "abo-snapshot-follower-" + model);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.consumer(kafka, null, Topics.ANCHOR_SNAPSHOTS)) {
            consumer = c;
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                Optional<PromotedPointer> latest = Optional.empty();
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        SnapshotKey key = SnapshotKey.parse(r.key());
                        if (!key.model().equals(model) || r.value() == null) {
                            continue;
                        }
                        if (key instanceof SnapshotKey.Version v) {
                            snapshots.put(v.version(), Topics.ANCHOR_SNAPSHOT_SERDE.decode(r.topic(), r.value()));
                        } else {
                            latest = Optional.of(Topics.PROMOTED_POINTER_SERDE.decode(r.topic(), r.value()));
                        }
                    } catch (RuntimeException e) {
                        skipped++;
                        LOG.warn("skipping record {}-{}@{} (key {}): {} ({} skipped so far)", r.topic(), r.partition(), r.offset(),
                                r.key(), e.toString(), skipped);
                    }
                }
                latest.ifPresent(p -> {
                    pending = p;
                    pendingSinceNanos = System.nanoTime();
                });
                if (pending != null && follow(pending)) {
                    pending = null;
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("snapshot follower of model {} stopped: {}", model, e.toString(), e);
        }
    }

    /** Serves the pointer's version; false when the registry does not know it yet and it should be tried again. */
    private boolean follow(PromotedPointer pointer) {
        long version = pointer.getVersion();
        long serving = holder.current().map(LoadedModel::version).orElse(-1L);
        if (version == serving || version == attempted) {
            return true;
        }
        Path file = modelDir.resolve(model + "-v" + version + ".ckpt");
        try {
            AnchorSnapshot snapshot = snapshots.get(version);
            String sha = registry.download(model, version, file);
            if (snapshot != null && !snapshot.getCheckpointSha256().isEmpty() && !snapshot.getCheckpointSha256().equals(sha)) {
                throw new IllegalStateException("checkpoint SHA-256 " + sha + " differs from the snapshot record's "
                        + snapshot.getCheckpointSha256());
            }
            List<String> classes = snapshot != null ? snapshot.getClassNamesList() : List.of();
            LoadedModel loaded = LoadedModel.load(file, model, version, classes);
            holder.swap(loaded);
            metrics.modelLoaded();
            LOG.info("serving model {} v{} (promoted: {})", model, version, pointer.getReason());
            attempted = version;
            return true;
        } catch (RegistryClient.RegistryException e) {
            boolean young = System.nanoTime() - pendingSinceNanos < NOT_YET_VISIBLE_RETRY.toNanos();
            if (e.status() == 404 && young) {
                LOG.debug("model {} v{} is promoted but the registry does not serve it yet; retrying", model, version);
                return false;
            }
            attempted = version;
            metrics.modelLoadFailed();
            LOG.error("model {} v{} was promoted but cannot be served; still serving v{}: {}", model, version, serving, e.toString());
            return true;
        } catch (Exception e) {
            attempted = version;
            metrics.modelLoadFailed();
            LOG.error("model {} v{} was promoted but cannot be served; still serving v{}: {}", model, version, serving, e.toString());
            return true;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                LOG.warn("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
