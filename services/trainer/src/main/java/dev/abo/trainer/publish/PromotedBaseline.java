package dev.abo.trainer.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.platform.registry.RegistryClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline a snapshot is compared with: the model's promoted version, evaluated on the snapshot's own held-out
 * images, so that the registry compares AP50 values on the same images also when the held-out set changed since
 * the promoted version was evaluated (new held-out data, e.g. after a drift).
 *
 * <p>{@link #measure} asks the registry which version is promoted. Nothing is measured when no version is promoted
 * or when the promoted version's own AP50 is on the same held-out set (the registry compares that directly);
 * otherwise its checkpoint is downloaded (SHA-256 checked against the registry's record, as the inference service
 * does), loaded, and evaluated on the images. The loaded network of the last promoted version and its last result
 * are kept, so held versions on one set cost one download and one evaluation. Used by the publisher's thread only.
 */
final class PromotedBaseline {

    private static final Logger LOG = LoggerFactory.getLogger(PromotedBaseline.class);

    /** The AP50 of promoted {@code version} on the held-out set {@code heldOutSet}. */
    record Measured(long version, String heldOutSet, double ap50) {
    }

    /** The registry could not be asked (connection failure, 429 or 5xx): the caller tries again later. */
    static final class RegistryUnavailable extends Exception {
        RegistryUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Loaded(long version, String sha256, Checkpoint.Loaded checkpoint) {
    }

    private final RegistryClient client;
    private final Path downloadDir;
    private final Counter measured;
    private final Counter notNeeded;
    private final Counter failed;
    private Loaded loaded;
    private Measured last;

    /**
     * @param downloadDir where a checkpoint is downloaded to; deleted once it is loaded
     */
    PromotedBaseline(RegistryClient client, Path downloadDir, MeterRegistry metrics) {
        this.client = client;
        this.downloadDir = downloadDir;
        String m = "abo_trainer_promoted_evaluations";
        this.measured = Counter.builder(m).tag("outcome", "measured")
                .description("the promoted version evaluated on a published snapshot's held-out set, by outcome").register(metrics);
        this.notNeeded = Counter.builder(m).tag("outcome", "not_needed").register(metrics);
        this.failed = Counter.builder(m).tag("outcome", "failed").register(metrics);
    }

    /**
     * The AP50 of {@code model}'s promoted version on {@code images}, the held-out set {@code heldOutSet} of a snapshot
     * of a model with {@code inputSize} px input and {@code numClasses} classes. Empty when nothing is promoted, when
     * the promoted version's own AP50 is on the same set, or when its checkpoint cannot be had or evaluated (logged
     * and counted: the snapshot is then published without the measurement).
     *
     * @throws RegistryUnavailable the registry did not answer (connection failure, 429, 5xx)
     */
    Optional<Measured> measure(String model, String heldOutSet, HeldOutEvaluation images, int inputSize, int numClasses)
            throws RegistryUnavailable {
        long version;
        JsonNode promoted;
        try {
            version = client.promoted(model).version();
            promoted = client.getJson(model, version);
        } catch (RegistryClient.RegistryException e) {
            if (isTransient(e)) {
                throw new RegistryUnavailable("the registry answered " + e.getMessage(), e);
            }
            if (e.status() == 404) {            // model_not_found, nothing_promoted (version_not_found: just rolled away)
                notNeeded.increment();
                return Optional.empty();
            }
            return failed(model, heldOutSet, e);
        } catch (UncheckedIOException e) {
            throw new RegistryUnavailable("the registry cannot be asked for the promoted version of " + model, e);
        }
        JsonNode metrics = promoted.path("metrics");
        if (metrics.path("ap50").isNumber() && heldOutSet.equals(metrics.path("heldOutSet").asText(null))) {
            notNeeded.increment();
            return Optional.empty();
        }
        if (last != null && last.version() == version && last.heldOutSet().equals(heldOutSet)) {
            measured.increment();
            return Optional.of(last);
        }
        try {
            Checkpoint.Loaded net = load(model, version, promoted.path("checkpointSha256").asText());
            if (net.config().inputSize() != inputSize || net.config().numClasses() != numClasses) {
                throw new IllegalStateException("promoted " + model + " v" + version + " is a " + net.config().inputSize() + " px model with "
                        + net.config().numClasses() + " classes, this trainer's is " + inputSize + " px with " + numClasses);
            }
            EvalRecord e = images.evaluate(net.net(), net.config(), net.step());
            if (!Double.isFinite(e.ap50())) {
                throw new IllegalStateException("its AP50 on " + heldOutSet + " is " + e.ap50());
            }
            last = new Measured(version, heldOutSet, e.ap50());
            measured.increment();
            LOG.info("promoted {} v{}: AP50 {} on held-out set {} ({} images, {} s)", model, version, e.ap50(), heldOutSet,
                    e.images(), String.format(Locale.ROOT, "%.1f", e.seconds()));
            return Optional.of(last);
        } catch (RegistryClient.RegistryException e) {
            if (isTransient(e)) {
                throw new RegistryUnavailable("the registry answered " + e.getMessage(), e);
            }
            return failed(model + " v" + version, heldOutSet, e);    // e.g. 410 checkpoint_missing: asking again will not help
        } catch (UncheckedIOException e) {
            throw new RegistryUnavailable("the checkpoint of " + model + " v" + version + " cannot be downloaded", e);
        } catch (IOException | RuntimeException e) {
            return failed(model + " v" + version, heldOutSet, e);
        }
    }

    private static boolean isTransient(RegistryClient.RegistryException e) {
        return e.status() == 429 || e.status() == 408 || e.status() >= 500;
    }

    private Optional<Measured> failed(String what, String heldOutSet, Exception e) {
        failed.increment();
        LOG.warn("cannot evaluate promoted {} on held-out set {}: the snapshot goes without it ({})", what, heldOutSet, e.toString());
        return Optional.empty();
    }

    /** The promoted version's network: the one kept if it is that version with that checkpoint, else downloaded. */
    private Checkpoint.Loaded load(String model, long version, String sha256) throws IOException {
        if (loaded != null && loaded.version() == version && loaded.sha256().equals(sha256)) {
            return loaded.checkpoint();
        }
        loaded = null;
        Files.createDirectories(downloadDir);
        Path file = downloadDir.resolve(model + "-v" + version + ".zip");
        try {
            String actual = client.download(model, version, file);
            if (!actual.equals(sha256)) {
                throw new IOException("checkpoint of " + model + " v" + version + " has SHA-256 " + actual
                        + ", its snapshot record says " + sha256);
            }
            Checkpoint.Loaded c = Checkpoint.read(file, false);
            loaded = new Loaded(version, sha256, c);
            return c;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
