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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Model checkpoints in a directory, addressed by the lower-case hex SHA-256 of their bytes:
 * {@code <root>/sha256/<first two hex digits>/<hex>}. Uploads land in {@code <root>/uploads} (same file
 * system), and {@link #put} makes them durable: fsync the file, rename it atomically into place, fsync the
 * directory. A blob is immutable once in place; putting the same bytes twice keeps the first copy.
 */
public final class BlobStore {

    private final Path root;

    public BlobStore(Path root) {
        this.root = root.toAbsolutePath();
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
     * durably. If the blob exists already, {@code source} is deleted instead.
     */
    public Path put(Path source, String sha256) throws IOException {
        Path target = path(sha256);
        if (Files.exists(target)) {
            Files.deleteIfExists(source);
            return target;
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(source);   // the same bytes, put concurrently
            return target;
        }
        fsyncDirectory(target.getParent());
        return target;
    }

    public Optional<Path> find(String sha256) {
        Path p = path(sha256);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
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
