package dev.abo.trainer.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abo.core.data.LabeledObject;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.trainer.HeldOutEval;
import dev.abo.trainer.TrainerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the trainer's snapshots to the anchor registry, off the training thread.
 *
 * <p><b>When.</b> {@link #due} is asked after every step: a snapshot is due at every multiple of
 * {@code ABO_PUBLISH_EVERY} and whenever some anchor moved more than {@code ABO_PUBLISH_EPSILON} in ln w or ln h
 * since the last submitted snapshot (the baseline starts at the anchors the model was ready with). The trainer
 * then writes a durable checkpoint and calls {@link #submit}: the checkpoint file is the uploaded model.
 *
 * <p><b>Durable and idempotent.</b> {@link #submit} hard-links the checkpoint (copies it if links are not
 * supported) and writes the snapshot JSON into {@code <checkpoint dir>/publish-pending/}, so the next checkpoint
 * cannot change what is uploaded and a crash leaves the publication to be done at the next start. The
 * idempotency key is derived from the model name, the step and the checkpoint's SHA-256, so every retry, also
 * after a restart, sends the same key and the registry never makes two versions of one publication.
 *
 * <p><b>Compared on the same images.</b> Before the first upload attempt of a snapshot evaluated at its step, the
 * promoted version is evaluated on the snapshot's held-out images ({@link PromotedBaseline}) and its AP50 added as
 * {@code metrics.promotedAp50}/{@code promotedVersion}; the pending JSON is rewritten with it first, so all attempts
 * send the same request.
 *
 * <p><b>Never blocks a step.</b> Uploads run on one thread with a bounded queue ({@link #QUEUE_CAPACITY}); when
 * it is full the oldest waiting publication is dropped (counted, its files deleted). A failed upload (I/O
 * error, 429, 5xx, after the client's own retries) is counted and retried with exponential backoff until it
 * succeeds or the publisher closes; a 4xx refusal other than 401/403 is counted as rejected and dropped (a 401/403
 * stays pending for the next start, as a token problem is fixed by configuration).
 */
public final class SnapshotPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int QUEUE_CAPACITY = 8;
    public static final String PENDING_DIR = "publish-pending";
    /** Where the promoted version's checkpoint is downloaded to (and deleted from once it is loaded). */
    public static final String PROMOTED_DIR = "promoted-download";

    /** What happened to one publication. */
    public record Outcome(long step, long version, boolean created, String idempotencyKey, String checkpointSha256) {
    }

    private final PublishConfig config;
    private final Path pendingDir;
    private final RegistryClient client;
    private final PromotedBaseline promotedBaseline;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ThreadPoolExecutor executor;
    private final RecentShapes shapes = new RecentShapes(RecentShapes.DEFAULT_CAPACITY);
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong lastVersion = new AtomicLong(-1);
    private final AtomicReference<Outcome> last = new AtomicReference<>();
    private final Counter created;
    private final Counter existing;
    private final Counter failed;
    private final Counter rejected;
    private final Counter dropped;
    private volatile boolean closed;

    // training thread only
    private List<AnchorPx> baseline;
    private double lossSum;
    private long lossSteps;

    public SnapshotPublisher(PublishConfig config, Path checkpointDir, MeterRegistry metrics) {
        this(config, checkpointDir, metrics, new RegistryClient.Retry(3, Duration.ofMillis(200), Duration.ofSeconds(2)),
                Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /**
     * @param clientRetry    the client's retries within one upload attempt
     * @param initialBackoff wait after the first failed upload, doubled after each further one up to {@code maxBackoff}
     */
    public SnapshotPublisher(PublishConfig config, Path checkpointDir, MeterRegistry metrics, RegistryClient.Retry clientRetry,
                             Duration initialBackoff, Duration maxBackoff) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("publishing is off: ABO_REGISTRY_URL is not set");
        }
        this.config = config;
        this.pendingDir = checkpointDir.resolve(PENDING_DIR);
        this.client = new RegistryClient(config.registryUrl().get(), config.token(), Duration.ofSeconds(60), clientRetry);
        this.promotedBaseline = new PromotedBaseline(client, checkpointDir.resolve(PROMOTED_DIR), metrics);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        String m = "abo_trainer_publishes";
        this.created = Counter.builder(m).tag("outcome", "created").description("snapshots published, by outcome").register(metrics);
        this.existing = Counter.builder(m).tag("outcome", "existing").register(metrics);
        this.failed = Counter.builder(m).tag("outcome", "failed").register(metrics);
        this.rejected = Counter.builder(m).tag("outcome", "rejected").register(metrics);
        this.dropped = Counter.builder(m).tag("outcome", "dropped").register(metrics);
        Gauge.builder("abo_trainer_publish_pending", pending, AtomicInteger::get).register(metrics);
        Gauge.builder("abo_trainer_published_version", lastVersion, AtomicLong::get).register(metrics);
        RejectedExecutionHandler dropOldest = (r, pool) -> {
            if (pool.isShutdown()) {
                return;                                     // its files stay pending for the next start
            }
            if (pool.getQueue().poll() instanceof Upload oldest) {
                LOG.warn("publish queue full: dropping the pending snapshot of step {}", oldest.pending.step);
                dropped.increment();
                pending.decrementAndGet();
                oldest.pending.delete();
            }
            pool.execute(r);
        };
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
            Thread t = new Thread(r, "abo-snapshot-publisher");
            t.setDaemon(true);
            return t;
        }, dropOldest);
        resumePending();
    }

    // ---- training thread -------------------------------------------------------------------------------------

    /** The model is ready (new or restored) with these anchors: the baseline of the movement rule. */
    public void modelReady(List<AnchorPx> anchors) {
        baseline = List.copyOf(anchors);
    }

    /** One trained step: its ground-truth boxes (for the shape histogram) and loss. */
    public void observe(List<List<LabeledObject>> objects, double loss) {
        shapes.add(objects);
        if (Double.isFinite(loss)) {
            lossSum += loss;
            lossSteps++;
        }
    }

    /** Whether a snapshot is due after {@code step} with {@code anchors}. */
    public boolean due(long step, List<AnchorPx> anchors) {
        if (config.every() > 0 && step % config.every() == 0) {
            return true;
        }
        return config.epsilon() > 0 && baseline != null && maxLogDelta(baseline, anchors) > config.epsilon();
    }

    /** The largest |delta ln w| or |delta ln h| between corresponding anchors (infinite if the counts differ). */
    public static double maxLogDelta(List<AnchorPx> a, List<AnchorPx> b) {
        if (a.size() != b.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int k = 0; k < a.size(); k++) {
            max = Math.max(max, Math.abs(Math.log(a.get(k).w()) - Math.log(b.get(k).w())));
            max = Math.max(max, Math.abs(Math.log(a.get(k).h()) - Math.log(b.get(k).h())));
        }
        return max;
    }

    /**
     * Queues the publication of the durable checkpoint {@code checkpoint} of {@code state} whose network has
     * {@code anchors}; {@code eval} supplies AP50, anchor average IoU and the held-out set they were measured on
     * when it was evaluated at this step, and the held-out images, on which the publisher's thread evaluates the
     * promoted version before the upload (see {@link PromotedBaseline}).
     * Returns after a link (or copy) and a small JSON write; the upload happens on the publisher's thread.
     */
    public void submit(TrainerState state, Path checkpoint, List<AnchorPx> anchors, Optional<HeldOutEval> eval) {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Map<String, Object>> a = new ArrayList<>();
        for (AnchorPx p : anchors) {
            a.add(Map.of("widthPx", p.w(), "heightPx", p.h()));
        }
        s.put("anchors", a);
        s.put("inputWidthPx", state.inputSize());
        s.put("inputHeightPx", state.inputSize());
        s.put("classNames", state.classNames());
        s.put("trainingStep", state.step());
        List<Map<String, Object>> offsets = new ArrayList<>();
        for (TrainerState.PartitionOffset o : state.offsets()) {
            offsets.add(Map.of("topic", o.topic(), "partition", o.partition(), "nextOffset", o.offset()));
        }
        s.put("sourceOffsets", offsets);
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (lossSteps > 0) {
            metrics.put("loss", lossSum / lossSteps);
        }
        Optional<HeldOutEvaluation> heldOut = Optional.empty();
        Optional<HeldOutEval> atThisStep = eval.filter(e -> e.record().step() == state.step());
        if (atThisStep.isPresent()) {
            HeldOutEval h = atThisStep.get();
            EvalRecord e = h.record();
            if (Double.isFinite(e.ap50())) {
                metrics.put("ap50", e.ap50());
                metrics.put("heldOutSet", h.heldOutSet());
                heldOut = Optional.of(h.images());
            }
            if (Double.isFinite(e.anchorIou())) {
                metrics.put("avgAnchorIou", e.anchorIou());
            }
        }
        s.put("metrics", metrics);
        if (shapes.size() > 0) {
            s.put("gtShapeHistogram", shapes.histogram(state.inputSize()));
        }
        Pending p;
        try {
            p = Pending.write(pendingDir, config.model(), state.step(), checkpoint, JSON.writeValueAsString(s), heldOut);
        } catch (IOException e) {
            failed.increment();
            LOG.error("cannot stage the snapshot of step {} in {}: {}", state.step(), pendingDir, e.toString());
            return;
        }
        baseline = List.copyOf(anchors);
        lossSum = 0;
        lossSteps = 0;
        enqueue(p);
    }

    // ---- any thread ------------------------------------------------------------------------------------------

    public long createdCount() {
        return (long) created.count();
    }

    public long existingCount() {
        return (long) existing.count();
    }

    /** Failed upload attempts (each retried later). */
    public long failureCount() {
        return (long) failed.count();
    }

    public long droppedCount() {
        return (long) dropped.count();
    }

    /** Publications queued or being uploaded. */
    public int pendingCount() {
        return pending.get();
    }

    public Optional<Outcome> lastOutcome() {
        return Optional.ofNullable(last.get());
    }

    /** The idempotency key of the publication of {@code step} of {@code model} with that checkpoint. */
    public static String idempotencyKey(String model, long step, String checkpointSha256) {
        return "abo-trainer-" + sha256Hex((model + "\n" + step + "\n" + checkpointSha256).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stops: waits up to {@code grace} for the queue to empty, then interrupts the upload in progress. What is
     * not published stays in {@code publish-pending/} and is published at the next start.
     */
    public void close(Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                closed = true;
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
                LOG.warn("publisher closed with {} snapshot(s) pending in {}", pending.get(), pendingDir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void enqueue(Pending p) {
        pending.incrementAndGet();
        executor.execute(new Upload(p));
    }

    private void resumePending() {
        if (!Files.isDirectory(pendingDir)) {
            return;
        }
        List<Pending> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(pendingDir, "*.json")) {
            for (Path json : dir) {
                Pending.read(json).ifPresent(found::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", pendingDir, e.toString());
            return;
        }
        found.sort((x, y) -> Long.compare(x.step, y.step));
        for (Pending p : found) {
            if (p.model.equals(config.model())) {
                LOG.info("resuming the publication of step {} left pending by an earlier run", p.step);
                enqueue(p);
            }
        }
    }

    private final class Upload implements Runnable {
        private final Pending pending;

        Upload(Pending pending) {
            this.pending = pending;
        }

        @Override
        public void run() {
            Pending pending = this.pending;
            try {
                String sha = sha256(pending.checkpoint);
                String key = idempotencyKey(pending.model, pending.step, sha);
                Duration backoff = initialBackoff;
                while (!closed) {
                    try {
                        pending = withPromotedAp50(pending);      // before the first attempt; then the JSON stays as it is
                        String snapshot = ((ObjectNode) JSON.readTree(pending.json)).put("checkpointSha256", sha).toString();
                        RegistryClient.Published r = client.publish(pending.model, snapshot, pending.checkpoint, key);
                        (r.created() ? created : existing).increment();
                        lastVersion.set(r.snapshot().version());
                        last.set(new Outcome(pending.step, r.snapshot().version(), r.created(), key, sha));
                        LOG.info("published step {} as {} v{} ({}, {}: {})", pending.step, pending.model, r.snapshot().version(),
                                r.created() ? "new" : "already there", r.promoted() ? "promoted" : "not promoted", r.promotionReason());
                        pending.delete();
                        return;
                    } catch (PromotedBaseline.RegistryUnavailable e) {
                        failed.increment();
                        LOG.warn("publishing step {} waits for the registry ({}); retrying in {} ms", pending.step, e.getMessage(),
                                backoff.toMillis());
                    } catch (RegistryClient.RegistryException e) {
                        if (e.status() / 100 == 4 && e.status() != 429 && e.status() != 408) {
                            rejected.increment();
                            LOG.error("the registry refused the snapshot of step {}: {}", pending.step, e.getMessage());
                            if (e.status() != 401 && e.status() != 403) {
                                pending.delete();
                            }
                            return;
                        }
                        failed.increment();
                        LOG.warn("publishing step {} failed ({}); retrying in {} ms", pending.step, e.getMessage(), backoff.toMillis());
                    } catch (RuntimeException e) {
                        if (Thread.currentThread().isInterrupted() || closed) {
                            return;
                        }
                        failed.increment();
                        LOG.warn("publishing step {} failed ({}); retrying in {} ms", pending.step, e.toString(), backoff.toMillis());
                    }
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                failed.increment();
                LOG.error("cannot publish the pending snapshot of step {}: {}", pending.step, e.toString());
            } finally {
                SnapshotPublisher.this.pending.decrementAndGet();
            }
        }
    }

    /**
     * The snapshot with the AP50 of the promoted version measured on its held-out set
     * ({@code metrics.promotedAp50}/{@code promotedVersion}), written to its pending file before the first upload
     * attempt so that every attempt, also after a restart, sends the same request. Unchanged when it has no
     * held-out images in memory (resumed after a restart, or already done) or the measurement is not needed or failed.
     */
    private Pending withPromotedAp50(Pending p) throws PromotedBaseline.RegistryUnavailable, IOException {
        if (p.heldOut.isEmpty()) {
            return p;
        }
        ObjectNode s = (ObjectNode) JSON.readTree(p.json);
        JsonNode m = s.path("metrics");
        Optional<PromotedBaseline.Measured> measured = Optional.empty();
        if (m.path("ap50").isNumber() && m.path("heldOutSet").isTextual()) {
            measured = promotedBaseline.measure(p.model, m.path("heldOutSet").asText(), p.heldOut.get(),
                    s.path("inputWidthPx").asInt(), s.path("classNames").size());
        }
        if (measured.isEmpty()) {
            return p.withJson(p.json);
        }
        ((ObjectNode) m).put("promotedAp50", measured.get().ap50()).put("promotedVersion", measured.get().version());
        return p.withJson(JSON.writeValueAsString(s));
    }

    /**
     * A publication on disk: {@code <model>-<step>.zip} (the checkpoint) and {@code <model>-<step>.json}; in memory
     * also the held-out images of its evaluation until the promoted version was measured on them.
     */
    static final class Pending {
        final String model;
        final long step;
        final Path checkpoint;
        final Path jsonFile;
        final String json;
        final Optional<HeldOutEvaluation> heldOut;

        private Pending(String model, long step, Path checkpoint, Path jsonFile, String json, Optional<HeldOutEvaluation> heldOut) {
            this.model = model;
            this.step = step;
            this.checkpoint = checkpoint;
            this.jsonFile = jsonFile;
            this.json = json;
            this.heldOut = heldOut;
        }

        /** The same publication with {@code newJson}, written over the JSON file (atomically) if it differs; no images. */
        Pending withJson(String newJson) throws IOException {
            if (!newJson.equals(json)) {
                Path tmp = jsonFile.resolveSibling(jsonFile.getFileName() + ".tmp");
                Files.writeString(tmp, newJson);
                Files.move(tmp, jsonFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Pending(model, step, checkpoint, jsonFile, newJson, Optional.empty());
        }

        static Pending write(Path dir, String model, long step, Path source, String json, Optional<HeldOutEvaluation> heldOut)
                throws IOException {
            Files.createDirectories(dir);
            String base = model + "-" + String.format("%020d", step);
            Path zip = dir.resolve(base + ".zip");
            Path jsonFile = dir.resolve(base + ".json");
            Files.deleteIfExists(jsonFile);
            Files.deleteIfExists(zip);
            try {
                Files.createLink(zip, source);
            } catch (IOException | UnsupportedOperationException e) {
                Path tmp = dir.resolve(base + ".zip.tmp");
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, zip, StandardCopyOption.ATOMIC_MOVE);
            }
            Path tmp = dir.resolve(base + ".json.tmp");
            Files.writeString(tmp, json);
            Files.move(tmp, jsonFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Pending(model, step, zip, jsonFile, json, heldOut);
        }

        static Optional<Pending> read(Path jsonFile) {
            String name = jsonFile.getFileName().toString();
            int dash = name.lastIndexOf('-');
            Path zip = jsonFile.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".zip");
            try {
                if (dash < 1 || !Files.exists(zip)) {
                    Files.deleteIfExists(jsonFile);
                    return Optional.empty();
                }
                long step = Long.parseLong(name.substring(dash + 1, name.length() - ".json".length()));
                return Optional.of(new Pending(name.substring(0, dash), step, zip, jsonFile, Files.readString(jsonFile), Optional.empty()));
            } catch (IOException | NumberFormatException e) {
                LOG.warn("ignoring {}: {}", jsonFile, e.toString());
                return Optional.empty();
            }
        }

        void delete() {
            try {
                Files.deleteIfExists(jsonFile);
                Files.deleteIfExists(checkpoint);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", checkpoint, e.toString());
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
