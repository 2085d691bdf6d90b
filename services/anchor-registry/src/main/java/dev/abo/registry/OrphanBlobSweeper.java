package dev.abo.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of the {@link BlobStore} that nothing will ever use: blobs that no snapshot references
 * and upload leftovers, once they are older than the grace period.
 *
 * <p>Why they exist: a create puts the checkpoint into the store before the snapshot record is written to
 * the log; when that write fails, or the process dies in between, the blob stays unreferenced. A crash
 * during an upload leaves its file in {@code uploads/}.
 *
 * <p>Why the grace period: a blob that is unreferenced now may be referenced a moment later (a create in
 * another registry instance on the same directory, between its put and its commit), and an upload file is
 * written while its request is still arriving. Only files whose modification time is more than the grace
 * period before now are deleted; {@link BlobStore#put} stamps the blob with the current time, also when
 * the bytes were already stored. Each deletion re-checks the age while holding the registry's write lock,
 * which a create holds from its put to its commit, so a create in this process never loses its blob.
 *
 * <p>Counted in {@code abo.registry.blobs.swept} and {@code abo.registry.blobs.swept.bytes} (tag
 * {@code kind}: {@code blob} or {@code upload}); completed sweeps in {@code abo.registry.blob.sweeps}; a sweep
 * or a deletion that failed in {@code abo.registry.blob.sweep.failures}.
 */
final class OrphanBlobSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanBlobSweeper.class);

    /**
     * What one sweep did.
     *
     * @param blobsDeleted          unreferenced blobs older than the grace period, deleted
     * @param blobBytesDeleted      their size
     * @param uploadsDeleted        files in {@code uploads/} older than the grace period, deleted
     * @param uploadBytesDeleted    their size
     * @param unreferencedKept      unreferenced blobs kept because they are within the grace period
     * @param failures              files that could not be deleted (logged)
     */
    record Result(int blobsDeleted, long blobBytesDeleted, int uploadsDeleted, long uploadBytesDeleted,
                  int unreferencedKept, int failures) {
    }

    private final BlobStore blobs;
    private final Duration grace;
    private final Clock clock;
    private final Counter blobsSwept;
    private final Counter blobBytesSwept;
    private final Counter uploadsSwept;
    private final Counter uploadBytesSwept;
    private final Counter sweeps;
    private final Counter failures;

    OrphanBlobSweeper(BlobStore blobs, Duration grace, Clock clock, MeterRegistry meters) {
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("the grace period must be positive, was " + grace);
        }
        this.blobs = blobs;
        this.grace = grace;
        this.clock = clock;
        this.blobsSwept = swept(meters, "blob");
        this.uploadsSwept = swept(meters, "upload");
        this.blobBytesSwept = sweptBytes(meters, "blob");
        this.uploadBytesSwept = sweptBytes(meters, "upload");
        this.sweeps = Counter.builder("abo.registry.blob.sweeps").description("blob sweeps completed").register(meters);
        this.failures = Counter.builder("abo.registry.blob.sweep.failures")
                .description("blob sweeps, or deletions within one, that failed").register(meters);
    }

    private static Counter swept(MeterRegistry meters, String kind) {
        return Counter.builder("abo.registry.blobs.swept").tag("kind", kind)
                .description("unreferenced blobs and upload leftovers deleted after the grace period").register(meters);
    }

    private static Counter sweptBytes(MeterRegistry meters, String kind) {
        return Counter.builder("abo.registry.blobs.swept.bytes").tag("kind", kind).baseUnit("bytes")
                .description("bytes freed by deleting unreferenced blobs and upload leftovers").register(meters);
    }

    Duration grace() {
        return grace;
    }

    /**
     * One pass over the store.
     *
     * @param referenced SHA-256 of every checkpoint a snapshot references, as the log holds them
     * @param writeLock  the lock a create holds from its put to its commit
     * @throws IOException if the store's directories cannot be listed (nothing was deleted then)
     */
    Result sweep(Set<String> referenced, Object writeLock) throws IOException {
        Instant cutoff = clock.instant().minus(grace);
        List<BlobStore.Blob> all = blobs.list();
        List<Path> uploads;
        try (Stream<Path> files = Files.list(blobs.uploadsDir())) {
            uploads = files.filter(Files::isRegularFile).toList();
        }
        int blobsDeleted = 0;
        long blobBytes = 0;
        int kept = 0;
        int failed = 0;
        for (BlobStore.Blob b : all) {
            if (referenced.contains(b.sha256())) {
                continue;
            }
            Deletion d = deleteIfOlder(b.file(), cutoff, writeLock);
            switch (d.outcome()) {
                case DELETED -> {
                    blobsDeleted++;
                    blobBytes += d.bytes();
                }
                case TOO_YOUNG -> kept++;
                case FAILED -> failed++;
                case ALREADY_GONE -> { }
            }
        }
        int uploadsDeleted = 0;
        long uploadBytes = 0;
        for (Path u : uploads) {
            Deletion d = deleteIfOlder(u, cutoff, writeLock);
            if (d.outcome() == Outcome.DELETED) {
                uploadsDeleted++;
                uploadBytes += d.bytes();
            } else if (d.outcome() == Outcome.FAILED) {
                failed++;
            }
        }
        Result r = new Result(blobsDeleted, blobBytes, uploadsDeleted, uploadBytes, kept, failed);
        record(r);
        return r;
    }

    /** Counts a sweep that could not run at all. */
    void failed(Exception e) {
        failures.increment();
        LOG.warn("blob sweep of {} failed: {}", blobs.root(), e.toString());
    }

    private enum Outcome { DELETED, TOO_YOUNG, ALREADY_GONE, FAILED }

    /** What happened to one file; {@code bytes} is the size of a deleted file, else 0. */
    private record Deletion(Outcome outcome, long bytes) {
    }

    private static Deletion deleteIfOlder(Path file, Instant cutoff, Object writeLock) {
        try {
            synchronized (writeLock) {
                if (!Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    return new Deletion(Outcome.TOO_YOUNG, 0);
                }
                long size = Files.size(file);
                Files.delete(file);
                return new Deletion(Outcome.DELETED, size);
            }
        } catch (NoSuchFileException e) {
            return new Deletion(Outcome.ALREADY_GONE, 0);   // another sweep, or a put's clean-up, got there first
        } catch (IOException e) {
            LOG.warn("blob sweep: cannot delete {}: {}", file, e.toString());
            return new Deletion(Outcome.FAILED, 0);
        }
    }

    private void record(Result r) {
        blobsSwept.increment(r.blobsDeleted());
        blobBytesSwept.increment(r.blobBytesDeleted());
        uploadsSwept.increment(r.uploadsDeleted());
        uploadBytesSwept.increment(r.uploadBytesDeleted());
        failures.increment(r.failures());
        sweeps.increment();
        if (r.blobsDeleted() + r.uploadsDeleted() + r.failures() > 0) {
            LOG.warn("blob sweep of {}: deleted {} unreferenced blob(s) ({} bytes) and {} upload leftover(s) ({} bytes) "
                    + "older than {} s; kept {} unreferenced blob(s) within the grace period; {} deletion(s) failed",
                    blobs.root(), r.blobsDeleted(), r.blobBytesDeleted(), r.uploadsDeleted(), r.uploadBytesDeleted(),
                    grace.toSeconds(), r.unreferencedKept(), r.failures());
        } else {
            LOG.debug("blob sweep of {}: nothing to delete; kept {} unreferenced blob(s) within the grace period",
                    blobs.root(), r.unreferencedKept());
        }
    }
}
