package dev.abo.registry;

import dev.abo.platform.registry.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Model checkpoints in a directory, addressed by the lower-case hex SHA-256 of their bytes:
 * {@code <root>/sha256/<first two hex digits>/<hex>}. Uploads land in {@code <root>/uploads} (same file
 * system), and {@link #put} makes them durable: fsync the file, rename it atomically into place, fsync the
 * directory. A blob is immutable once in place; putting the same bytes twice keeps the first copy.
 *
 * <p>A blob's modification time is the time of its last {@link #put}, also when the bytes were already there:
 * the {@link OrphanBlobSweeper} counts its grace period from it, so a blob that is about to be referenced
 * again is never old.
 */
public final class BlobStore {

    /** A stored blob: its SHA-256 (the file name) and its file. */
    public record Blob(String sha256, Path file) {
    }

    private final Path root;
    private final Clock clock;

    public BlobStore(Path root) {
        this(root, Clock.systemUTC());
    }

    /** @param clock the time a {@link #put} stamps on the blob */
    public BlobStore(Path root, Clock clock) {
        this.root = root.toAbsolutePath();
        this.clock = clock;
        try {
            Files.createDirectories(this.root.resolve("sha256"));
            Files.createDirectories(uploadsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** Where the HTTP layer writes uploads before they are hashed and put. */
    public Path uploadsDir() {
        return root.resolve("uploads");
    }

    /** Lower-case hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        return Sha256.of(file);
    }

    public static String sha256(byte[] bytes) {
        return Sha256.of(bytes);
    }

    /**
     * Moves {@code source} (a file in {@link #uploadsDir()} whose SHA-256 is {@code sha256}) into the store
     * durably. If the blob exists already, {@code source} is deleted instead. Either way the blob's
     * modification time becomes now.
     */
    public Path put(Path source, String sha256) throws IOException {
        Path target = path(sha256);
        if (Files.exists(target)) {
            Files.deleteIfExists(source);
            return stampNow(target);
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(source);   // the same bytes, put concurrently
            return stampNow(target);
        }
        fsyncDirectory(target.getParent());
        return stampNow(target);
    }

    private Path stampNow(Path blob) throws IOException {
        Files.setLastModifiedTime(blob, FileTime.from(clock.instant()));
        return blob;
    }

    public Optional<Path> find(String sha256) {
        Path p = path(sha256);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Every blob in the store, in no particular order. Files under {@code sha256/} whose name is not a
     * SHA-256 or that sit in the wrong prefix directory are not blobs and are left out.
     */
    public List<Blob> list() throws IOException {
        List<Blob> blobs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("sha256"), 2)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (f.getNameCount() - root.getNameCount() == 3 && SnapshotJson.SHA256_HEX.matcher(name).matches()
                        && f.getParent().getFileName().toString().equals(name.substring(0, 2)) && Files.isRegularFile(f)) {
                    blobs.add(new Blob(name, f));
                }
            }
        }
        return blobs;
    }

    private Path path(String sha256) {
        if (!SnapshotJson.SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
