package dev.abo.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.SnapshotKey;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the registry's durable log ({@code anchors.snapshots}, committed transactions only) from its beginning, as
 * the inference service does, and keeps every version of one model and every move of its promoted pointer, in log
 * order; each is also reported as one line to {@code events}.
 */
final class SnapshotLogWatch implements AutoCloseable {

    /**
     * A version as the registry wrote it.
     *
     * @param decision whether the registry promoted it when it arrived, and why; null: not recorded (older registries)
     */
    record Version(long version, long step, Double ap50, List<double[]> anchors, long createdUnixMs, Decision decision) {
    }

    /** The registry's promotion decision for a new version and its reason (which AP50 values it compared, on which images). */
    record Decision(boolean promoted, String reason) {
    }

    /**
     * One promotion, as the registry's pointer says.
     *
     * @param reason       {@code auto}, {@code manual} or {@code rollback}
     * @param policyReason for {@code auto}, the reason of the version's promotion decision; null otherwise or unrecorded
     */
    record Promotion(long version, String reason, String policyReason, long promotedUnixMs) {
    }

    /** The pointer's reason for a promotion by the registry's policy. */
    static final String AUTO = "auto";

    private final String model;
    private final Consumer<String> events;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Version> versions = new ArrayList<>();
    private final List<Promotion> promotions = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long skipped;

    SnapshotLogWatch(ConfigSource kafka, String model, Consumer<String> events) {
        this.model = model;
        this.events = events;
        this.consumer = KafkaClients.consumer(kafka, null, Topics.ANCHOR_SNAPSHOTS);
        this.thread = new Thread(this::loop, "demo-snapshot-log");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ANCHOR_SNAPSHOTS.name(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    read(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        SnapshotKey key;
        try {
            key = SnapshotKey.parse(r.key());
        } catch (RuntimeException e) {
            long n;
            synchronized (this) {
                n = ++skipped;
            }
            events.accept("registry log: skipped record " + r.topic() + "-" + r.partition() + "@" + r.offset() + " with key '"
                    + r.key() + "': " + e.getMessage() + " (" + n + " so far)");
            return;
        }
        if (!key.model().equals(model) || r.value() == null) {
            return;
        }
        if (key instanceof SnapshotKey.Version) {
            AnchorSnapshot s = Topics.ANCHOR_SNAPSHOT_SERDE.decode(r.topic(), r.value());
            Version v = new Version(s.getVersion(), s.getTrainingStep(),
                    s.getMetrics().hasAp50() ? s.getMetrics().getAp50() : null,
                    s.getAnchorsList().stream().map(a -> new double[] {a.getWidthPx(), a.getHeightPx()}).toList(),
                    s.getCreatedUnixMs(), s.hasPromotionDecision()
                    ? new Decision(s.getPromotionDecision().getPromoted(), s.getPromotionDecision().getReason()) : null);
            synchronized (this) {
                versions.add(v);
            }
            events.accept(createdLine(v));
        } else {
            PromotedPointer p = Topics.PROMOTED_POINTER_SERDE.decode(r.topic(), r.value());
            Promotion promotion;
            synchronized (this) {
                promotion = new Promotion(p.getVersion(), p.getReason(), policyReason(p), p.getPromotedUnixMs());
                promotions.add(promotion);
            }
            events.accept(promotedLine(promotion));
        }
    }

    /** For an automatic promotion, the decision stored with the version (written before the pointer, one partition). */
    private String policyReason(PromotedPointer p) {
        if (!AUTO.equals(p.getReason())) {
            return null;
        }
        for (int i = versions.size() - 1; i >= 0; i--) {
            Version v = versions.get(i);
            if (v.version() == p.getVersion()) {
                return v.decision() == null ? null : v.decision().reason();
            }
        }
        return null;
    }

    /** The event line of a new version; one the registry held back says why (a promoted one: {@link #promotedLine}). */
    static String createdLine(Version v) {
        String line = String.format(Locale.ROOT, "registry: version %d created (step %d, AP50 %s)", v.version(), v.step(),
                v.ap50() == null ? "not evaluated" : String.format(Locale.ROOT, "%.3f", v.ap50()));
        return v.decision() != null && !v.decision().promoted() ? line + ", not promoted: " + v.decision().reason() : line;
    }

    /** The event line of a promotion: {@code (auto: <the registry's reason>)}, {@code (manual)}, {@code (rollback)}. */
    static String promotedLine(Promotion p) {
        return "registry: version " + p.version() + " promoted (" + p.reason()
                + (p.policyReason() == null ? "" : ": " + p.policyReason()) + ")";
    }

    synchronized List<Version> versions() {
        return List.copyOf(versions);
    }

    synchronized List<Promotion> promotions() {
        return List.copyOf(promotions);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
