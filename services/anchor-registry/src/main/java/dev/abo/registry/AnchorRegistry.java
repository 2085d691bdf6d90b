package dev.abo.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import dev.abo.proto.anchors.v1.PromotionDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;

/**
 * The registry's operations, without HTTP: create a version, promote, roll back, and read. Writes are
 * serialised (one at a time, in this object's monitor) and each is acknowledged by {@code anchors.snapshots}
 * before the in-memory state changes, so the state only ever shows what the log holds. After a failed
 * write whose outcome Kafka cannot tell, the state is rebuilt from the log before the next write.
 *
 * <p>A create puts the checkpoint into the blob store before it writes the log; blobs left unreferenced by
 * a failed write or a crash are deleted by the {@link OrphanBlobSweeper}, once at start-up (right after the
 * state is rebuilt) and then by {@link #sweepOrphanBlobs()}.
 */
public final class AnchorRegistry implements AutoCloseable {

    /**
     * Reasons stored in {@link PromotedPointer#getReason()}. For {@link #AUTO} the policy's reason is the
     * {@code promotion_decision} of the version the pointer points at.
     */
    public static final String AUTO = "auto";
    public static final String MANUAL = "manual";
    public static final String ROLLBACK = "rollback";

    /** The outcome of a create: the version, whether this call made it, and the promotion decision. */
    public record CreateResult(StoredSnapshot stored, boolean created, PromotionPolicy.Decision decision) {
    }

    private final RegistryConfig config;
    private final BlobStore blobs;
    private final PromotionPolicy policy;
    private final Clock clock;
    private final SnapshotLog log;
    private final Counter created;
    private final Counter promotions;
    private final Counter writeFailures;
    private final MeterRegistry meters;
    private final OrphanBlobSweeper sweeper;
    private volatile RegistryState state;
    private boolean needsResync;

    private AnchorRegistry(RegistryConfig config, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        this.meters = meters;
        this.blobs = new BlobStore(config.blobDir(), clock);
        this.policy = new PromotionPolicy(config.promoteTolerance());
        try (Admin admin = KafkaClients.admin(config.source())) {
            TopicAdmin.ensure(admin, List.of(SnapshotLog.topicSpec(config)), config.kafkaTimeout());
        }
        this.log = SnapshotLog.open(config);   // fences a previous writer and aborts its open transaction
        this.created = Counter.builder("abo.registry.snapshots.accepted").description("new snapshot versions committed to the log").register(meters);
        this.promotions = Counter.builder("abo.registry.promotions").description("promoted-pointer changes committed to the log").register(meters);
        this.writeFailures = Counter.builder("abo.registry.log.write.failures").description("writes to the log that failed (answered 503)").register(meters);
        this.sweeper = new OrphanBlobSweeper(blobs, config.blobGrace(), clock, meters);
        try {
            this.state = replay();
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        sweep(state.checkpointSha256s());   // the state was just read from the log: it is the whole truth
    }

    /**
     * Creates the topic if missing, takes over as its writer, and rebuilds the state from it; returns when
     * the registry can serve.
     */
    public static AnchorRegistry open(RegistryConfig config, Clock clock, MeterRegistry meters) {
        return new AnchorRegistry(config, clock, meters);
    }

    private RegistryState replay() {
        return SnapshotLog.replay(config, stats -> {
            meters.counter("abo.registry.replay.records", "outcome", "applied").increment(stats.applied());
            meters.counter("abo.registry.replay.records", "outcome", "skipped").increment(stats.skipped());
        });
    }

    public BlobStore blobs() {
        return blobs;
    }

    /**
     * Stores a new version of {@code model} from an upload in {@link BlobStore#uploadsDir()}, or returns the
     * version an earlier create with the same idempotency key made.
     *
     * @param upload             the checkpoint file, consumed (moved into the store) on success
     * @param uploadSha256       its SHA-256, computed by the caller
     * @param requestFingerprint identifies the request's content, for idempotency-key reuse checks
     */
    public synchronized CreateResult create(String model, SnapshotSubmission submission, Path upload, String uploadSha256,
                                            long uploadSize, Optional<String> idempotencyKey, String requestFingerprint) {
        ModelName.check(model);
        resyncIfNeeded();
        RegistryState s = state;
        if (idempotencyKey.isPresent()) {
            Optional<StoredSnapshot> earlier = s.byIdempotencyKey(model, idempotencyKey.get());
            if (earlier.isPresent()) {
                if (!earlier.get().requestFingerprint().equals(requestFingerprint)) {
                    throw ApiException.conflict("idempotency_key_reused", "Idempotency-Key '" + idempotencyKey.get()
                            + "' was used for version " + earlier.get().version() + " of model " + model + " with a different request");
                }
                AnchorSnapshot e = earlier.get().snapshot();
                return new CreateResult(earlier.get(), false, new PromotionPolicy.Decision(false, "idempotent replay of version "
                        + e.getVersion() + (e.hasPromotionDecision() ? "; when it was created: " + (e.getPromotionDecision().getPromoted()
                        ? "promoted, " : "held, ") + e.getPromotionDecision().getReason() : "")));
            }
        }
        if (submission.declaredSha256().isPresent() && !submission.declaredSha256().get().equals(uploadSha256)) {
            throw new ApiException(422, "checksum_mismatch", "checkpoint SHA-256 is " + uploadSha256
                    + ", the snapshot declares " + submission.declaredSha256().get());
        }
        AnchorSnapshot content = submission.content();
        s.latest(model).ifPresent(prev -> checkConsistent(model, prev.snapshot(), content));
        try {
            blobs.put(upload, uploadSha256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store checkpoint " + uploadSha256, e);
        }
        long now = clock.millis();
        AnchorSnapshot candidate = content.toBuilder()
                .setModelName(model)
                .setVersion(s.nextVersion(model))
                .setCheckpointSha256(uploadSha256)
                .setCheckpointSizeBytes(uploadSize)
                .setCreatedUnixMs(now)
                .build();
        Optional<AnchorSnapshot> promoted = s.promoted(model).flatMap(p -> s.version(model, p.getVersion())).map(StoredSnapshot::snapshot);
        PromotionPolicy.Decision decision = policy.decide(candidate, promoted);
        // the decision is recorded with the version, so the log tells why each version was promoted or held
        AnchorSnapshot snapshot = candidate.toBuilder().setPromotionDecision(PromotionDecision.newBuilder()
                .setPromoted(decision.promote()).setReason(decision.reason())).build();
        StoredSnapshot stored = new StoredSnapshot(snapshot, idempotencyKey, requestFingerprint, submission.gtShapeHistogram());
        Optional<PromotedPointer> pointer = decision.promote()
                ? Optional.of(pointer(model, snapshot.getVersion(), now, AUTO)) : Optional.empty();
        write(() -> log.append(stored, pointer));
        s.apply(stored);
        pointer.ifPresent(s::apply);
        created.increment();
        pointer.ifPresent(p -> promotions.increment());
        return new CreateResult(stored, true, decision);
    }

    /**
     * Deletes the blobs no snapshot references and the upload leftovers, both older than the grace period
     * ({@code ABO_REGISTRY_BLOB_GRACE_MS}). The references are read from the log again, not only taken from this
     * instance's state, so blobs of versions another registry instance wrote since are kept. Never throws: a
     * failed sweep is logged and counted, and the next one tries again.
     *
     * @return what was deleted, or empty if the sweep could not run
     */
    Optional<OrphanBlobSweeper.Result> sweepOrphanBlobs() {
        Set<String> referenced;
        try {
            referenced = new HashSet<>(SnapshotLog.replay(config, stats -> { }).checkpointSha256s());
        } catch (RuntimeException e) {
            sweeper.failed(e);
            return Optional.empty();
        }
        referenced.addAll(state.checkpointSha256s());
        return sweep(referenced);
    }

    private Optional<OrphanBlobSweeper.Result> sweep(Set<String> referenced) {
        try {
            return Optional.of(sweeper.sweep(referenced, this));   // creates hold this monitor from put to commit
        } catch (IOException | RuntimeException e) {
            sweeper.failed(e);
            return Optional.empty();
        }
    }

    private static void checkConsistent(String model, AnchorSnapshot prev, AnchorSnapshot next) {
        if (prev.getAnchorsCount() != next.getAnchorsCount()) {
            throw ApiException.conflict("anchor_count_mismatch", "model " + model + " has " + prev.getAnchorsCount()
                    + " anchors (version " + prev.getVersion() + "), the snapshot has " + next.getAnchorsCount());
        }
        if (prev.getInputWidthPx() != next.getInputWidthPx() || prev.getInputHeightPx() != next.getInputHeightPx()) {
            throw ApiException.conflict("input_size_mismatch", "model " + model + " has input size " + prev.getInputWidthPx()
                    + "x" + prev.getInputHeightPx() + " (version " + prev.getVersion() + "), the snapshot has "
                    + next.getInputWidthPx() + "x" + next.getInputHeightPx());
        }
        if (!prev.getClassNamesList().equals(next.getClassNamesList())) {
            throw ApiException.conflict("class_names_mismatch", "model " + model + " has " + prev.getClassNamesCount()
                    + " classes " + prev.getClassNamesList() + " (version " + prev.getVersion() + "), the snapshot has "
                    + next.getClassNamesCount() + " " + next.getClassNamesList());
        }
    }

    /** Points {@code model}'s promoted pointer at {@code version} ({@code PUT .../promoted}). */
    public synchronized PromotedPointer promote(String model, long version) {
        ModelName.check(model);
        resyncIfNeeded();
        requireVersion(model, version);
        return setPointer(pointer(model, version, clock.millis(), MANUAL));
    }

    /**
     * Points {@code model}'s promoted pointer back: at {@code toVersion} if given, else at the newest version
     * older than the promoted one.
     */
    public synchronized PromotedPointer rollback(String model, Optional<Long> toVersion) {
        ModelName.check(model);
        resyncIfNeeded();
        RegistryState s = state;
        requireModel(model);
        PromotedPointer current = s.promoted(model).orElseThrow(() -> ApiException.conflict("nothing_promoted",
                "model " + model + " has no promoted version to roll back from"));
        long target;
        if (toVersion.isPresent()) {
            target = toVersion.get();
            requireVersion(model, target);
            if (target >= current.getVersion()) {
                throw ApiException.conflict("not_a_rollback", "version " + target + " is not older than the promoted version "
                        + current.getVersion());
            }
        } else {
            target = s.versions(model).stream().mapToLong(StoredSnapshot::version).filter(v -> v < current.getVersion())
                    .max().orElseThrow(() -> ApiException.conflict("no_older_version", "model " + model
                            + " has no version older than the promoted version " + current.getVersion()));
        }
        return setPointer(pointer(model, target, clock.millis(), ROLLBACK));
    }

    private PromotedPointer setPointer(PromotedPointer p) {
        write(() -> log.append(p));
        state.apply(p);
        promotions.increment();
        return p;
    }

    private void write(Runnable append) {
        try {
            append.run();
        } catch (SnapshotLog.LogWriteException e) {
            needsResync = true;   // the outcome may be unknown (e.g. a commit that timed out)
            writeFailures.increment();
            throw new ApiException(503, "log_unavailable", e.getMessage());
        }
    }

    private void resyncIfNeeded() {
        if (needsResync) {
            try {
                state = replay();
                needsResync = false;
            } catch (RuntimeException e) {
                throw new ApiException(503, "log_unavailable", "cannot re-read " + config.topic() + ": " + e.getMessage());
            }
        }
    }

    private static PromotedPointer pointer(String model, long version, long now, String reason) {
        return PromotedPointer.newBuilder().setModelName(model).setVersion(version).setPromotedUnixMs(now).setReason(reason).build();
    }

    // ---- reads (any thread) ----

    public List<String> models() {
        return state.models();
    }

    /** @throws ApiException 404 {@code model_not_found} */
    public List<StoredSnapshot> versions(String model) {
        requireModel(model);
        return state.versions(model);
    }

    /** @throws ApiException 404 {@code model_not_found} or {@code version_not_found} */
    public StoredSnapshot version(String model, long version) {
        return requireVersion(model, version);
    }

    /** @throws ApiException 404 {@code model_not_found} or {@code nothing_promoted} */
    public PromotedPointer promoted(String model) {
        requireModel(model);
        return state.promoted(model).orElseThrow(() -> ApiException.notFound("nothing_promoted",
                "model " + model + " has no promoted version"));
    }

    public Optional<PromotedPointer> promotedIfAny(String model) {
        return state.promoted(model);
    }

    public Optional<StoredSnapshot> versionIfAny(String model, long version) {
        return state.version(model, version);
    }

    /** The checkpoint file of a version. */
    public Path checkpoint(String model, long version) {
        StoredSnapshot s = requireVersion(model, version);
        String sha = s.snapshot().getCheckpointSha256();
        return blobs.find(sha).orElseThrow(() -> new ApiException(410, "checkpoint_missing",
                "checkpoint " + sha + " of " + model + " version " + version + " is not in the blob store"));
    }

    private void requireModel(String model) {
        ModelName.check(model);
        if (!state.hasModel(model)) {
            throw ApiException.notFound("model_not_found", "no model named " + model);
        }
    }

    private StoredSnapshot requireVersion(String model, long version) {
        requireModel(model);
        return state.version(model, version).orElseThrow(() -> ApiException.notFound("version_not_found",
                "model " + model + " has no version " + version));
    }

    @Override
    public void close() {
        log.close();
    }
}
