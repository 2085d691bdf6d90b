package dev.abo.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep on a real directory with a fixed clock: what is deleted, what is kept, what is counted. */
class OrphanBlobSweeperTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    Path root;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void deletesOnlyUnreferencedBlobsAndUploadsOlderThanTheGracePeriod() throws Exception {
        BlobStore store = new BlobStore(root, clock);
        Path referencedOld = blob(store, "referenced, two hours old", NOW.minus(Duration.ofHours(2)));
        Path orphanOld = blob(store, "orphan, 61 minutes old", NOW.minus(Duration.ofMinutes(61)));
        Path orphanAtCutoff = blob(store, "orphan, exactly the grace period old", NOW.minus(GRACE));
        Path orphanFresh = blob(store, "orphan, a minute old", NOW.minus(Duration.ofMinutes(1)));
        Files.createDirectories(root.resolve("sha256").resolve("ab"));
        Path notABlob = at(Files.writeString(root.resolve("sha256").resolve("ab").resolve("notes.txt"), "not a blob"),
                NOW.minus(Duration.ofDays(3)));
        Path misplaced = blob(store, "misplaced", NOW.minus(Duration.ofDays(3)));
        Path misplacedTarget = root.resolve("sha256").resolve("zz").resolve(misplaced.getFileName());
        Files.createDirectories(misplacedTarget.getParent());
        Files.move(misplaced, misplacedTarget);
        Path uploadOld = at(Files.writeString(store.uploadsDir().resolve("crashed-upload"), "12345"),
                NOW.minus(Duration.ofHours(5)));
        Path uploadFresh = at(Files.writeString(store.uploadsDir().resolve("arriving-upload"), "123"),
                NOW.minus(Duration.ofSeconds(5)));

        OrphanBlobSweeper sweeper = new OrphanBlobSweeper(store, GRACE, clock, meters);
        OrphanBlobSweeper.Result r = sweeper.sweep(Set.of(referencedOld.getFileName().toString()), new Object());

        // deleted: the 61-minute orphan (22 bytes) and the 5-hour upload (5 bytes); the orphan exactly at the
        // cutoff is not older than the grace period
        assertThat(r).isEqualTo(new OrphanBlobSweeper.Result(1, 22, 1, 5, 2, 0));
        assertThat(orphanOld).doesNotExist();
        assertThat(uploadOld).doesNotExist();
        assertThat(referencedOld).hasContent("referenced, two hours old");
        assertThat(orphanAtCutoff).exists();
        assertThat(orphanFresh).exists();
        assertThat(notABlob).exists();
        assertThat(misplacedTarget).exists();
        assertThat(uploadFresh).exists();
        assertThat(store.list()).extracting(BlobStore.Blob::file)
                .containsExactlyInAnyOrder(referencedOld, orphanAtCutoff, orphanFresh);

        assertThat(counter("abo.registry.blobs.swept", "blob")).isEqualTo(1.0);
        assertThat(counter("abo.registry.blobs.swept.bytes", "blob")).isEqualTo(22.0);
        assertThat(counter("abo.registry.blobs.swept", "upload")).isEqualTo(1.0);
        assertThat(counter("abo.registry.blobs.swept.bytes", "upload")).isEqualTo(5.0);
        assertThat(meters.get("abo.registry.blob.sweep.failures").counter().count()).isZero();
        assertThat(meters.get("abo.registry.blob.sweeps").counter().count()).isEqualTo(1.0);

        // a second pass finds nothing more; the counters accumulate
        assertThat(sweeper.sweep(Set.of(referencedOld.getFileName().toString()), new Object()))
                .isEqualTo(new OrphanBlobSweeper.Result(0, 0, 0, 0, 2, 0));
        assertThat(counter("abo.registry.blobs.swept", "blob")).isEqualTo(1.0);
        assertThat(meters.get("abo.registry.blob.sweeps").counter().count()).isEqualTo(2.0);
    }

    @Test
    void putStampsTheBlobWithNowAlsoWhenTheBytesWereThere() throws Exception {
        BlobStore store = new BlobStore(root, clock);
        Path old = blob(store, "stored long ago, unreferenced since", NOW.minus(Duration.ofDays(2)));
        Path upload = Files.writeString(store.uploadsDir().resolve("retry"), "stored long ago, unreferenced since");
        assertThat(store.put(upload, BlobStore.sha256(Files.readAllBytes(old)))).isEqualTo(old);

        assertThat(upload).doesNotExist();
        assertThat(Files.getLastModifiedTime(old).toInstant()).isEqualTo(NOW);
        // about to be referenced by the create that put it: the sweep keeps it
        assertThat(new OrphanBlobSweeper(store, GRACE, clock, meters).sweep(Set.of(), new Object()))
                .isEqualTo(new OrphanBlobSweeper.Result(0, 0, 0, 0, 1, 0));

        Path fresh = Files.writeString(store.uploadsDir().resolve("new"), "new bytes");
        at(fresh, NOW.minus(Duration.ofDays(1)));   // an upload that waited long for its turn
        Path stored = store.put(fresh, BlobStore.sha256("new bytes".getBytes(UTF_8)));
        assertThat(Files.getLastModifiedTime(stored).toInstant()).isEqualTo(NOW);
    }

    @Test
    void reChecksTheAgeUnderTheWriteLockSoAConcurrentPutWins() throws Exception {
        BlobStore store = new BlobStore(root, clock);
        Path orphan = blob(store, "about to be put again", NOW.minus(Duration.ofDays(1)));
        OrphanBlobSweeper sweeper = new OrphanBlobSweeper(store, GRACE, clock, meters);
        Object writeLock = new Object();
        AtomicReference<Thread> sweeping = new AtomicReference<>();
        CompletableFuture<OrphanBlobSweeper.Result> result;
        synchronized (writeLock) {   // a create between its put and its commit
            result = CompletableFuture.supplyAsync(() -> {
                sweeping.set(Thread.currentThread());
                try {
                    return sweeper.sweep(Set.of(), writeLock);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the sweep has listed the orphan as old and waits for the lock to delete it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((sweeping.get() == null || sweeping.get().getState() != Thread.State.BLOCKED) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(sweeping.get().getState()).isEqualTo(Thread.State.BLOCKED);
            store.put(Files.writeString(store.uploadsDir().resolve("same"), "about to be put again"),
                    BlobStore.sha256("about to be put again".getBytes(UTF_8)));
        }
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new OrphanBlobSweeper.Result(0, 0, 0, 0, 1, 0));
        assertThat(orphan).exists();
    }

    @Test
    void theGracePeriodMustBePositive() {
        BlobStore store = new BlobStore(root, clock);
        assertThatThrownBy(() -> new OrphanBlobSweeper(store, Duration.ZERO, clock, meters))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the grace period must be positive, was PT0S");
    }

    private double counter(String name, String kind) {
        return meters.get(name).tag("kind", kind).counter().count();
    }

    /** Stores {@code content} through the store's own put, then sets its modification time. */
    private static Path blob(BlobStore store, String content, Instant modified) throws IOException {
        Path upload = Files.writeString(store.uploadsDir().resolve("u-" + System.nanoTime()), content);
        return at(store.put(upload, BlobStore.sha256(content.getBytes(UTF_8))), modified);
    }

    private static Path at(Path file, Instant modified) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
