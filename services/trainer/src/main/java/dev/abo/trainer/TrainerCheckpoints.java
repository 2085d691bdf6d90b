package dev.abo.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.DetectorConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The trainer's checkpoint directory: one file, {@value #FILE}, a detector {@link Checkpoint} (network, Adam
 * state, anchors, step) with the {@link TrainerState} (offsets, trained batches) as an extra entry
 * {@value #ENTRY} of the same zip.
 *
 * <p>Written atomically: the whole zip goes to {@value #TEMP_FILE}, is forced to disk, renamed over
 * {@value #FILE} (an atomic rename within the directory), and the directory is forced so the rename
 * survives a power cut. A crash at any point leaves either the previous checkpoint or the new one, never a
 * mix; a stale temporary file is deleted by {@link #read}.
 */
public final class TrainerCheckpoints {

    public static final String FILE = "trainer-checkpoint.zip";
    public static final String TEMP_FILE = FILE + ".tmp";
    public static final String ENTRY = "abo-trainer-state.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public TrainerCheckpoints(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The current checkpoint file (it may not exist yet). */
    public Path file() {
        return dir.resolve(FILE);
    }

    /** A checkpoint read back: the network with its updater state, its detector config and the trainer state. */
    public record Restored(ComputationGraph net, DetectorConfig config, TrainerState state) {
    }

    /** Writes {@code net} with its updater state and {@code state} atomically as the current checkpoint. */
    public void write(ComputationGraph net, DetectorConfig config, TrainerState state) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TEMP_FILE);
        Files.deleteIfExists(tmp);
        Checkpoint.write(tmp, net, config, state.step(), true);
        try (FileSystem zip = FileSystems.newFileSystem(zipUri(tmp), Map.of());
             OutputStream out = Files.newOutputStream(zip.getPath(ENTRY))) {
            JSON.writeValue(out, state);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
    }

    /** The current checkpoint, or empty when there is none. Deletes a temporary file left by a crash. */
    public Optional<Restored> read() throws IOException {
        Files.deleteIfExists(dir.resolve(TEMP_FILE));
        Path file = file();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        TrainerState state = readState(file);
        Checkpoint.Loaded loaded = Checkpoint.read(file, true);
        if (loaded.step() != state.step()) {
            throw new Checkpoint.CheckpointException("checkpoint " + file + ": the model is at step " + loaded.step()
                    + " but " + ENTRY + " at step " + state.step(), null);
        }
        if (loaded.config().inputSize() != state.inputSize() || loaded.config().numClasses() != state.classNames().size()) {
            throw new Checkpoint.CheckpointException("checkpoint " + file + ": the model is " + loaded.config().inputSize()
                    + " px with " + loaded.config().numClasses() + " classes but " + ENTRY + " says "
                    + state.inputSize() + " px, " + state.classNames(), null);
        }
        return Optional.of(new Restored(loaded.net(), loaded.config(), state));
    }

    /** The trainer state entry of a checkpoint file (no network is built). */
    public static TrainerState readState(Path file) throws Checkpoint.CheckpointException {
        TrainerState state;
        try (FileSystem zip = FileSystems.newFileSystem(zipUri(file), Map.of());
             InputStream in = Files.newInputStream(zip.getPath(ENTRY))) {
            state = JSON.readValue(in, TrainerState.class);
        } catch (NoSuchFileException e) {
            throw new Checkpoint.CheckpointException("checkpoint " + file + " has no " + ENTRY + " entry: not a trainer checkpoint", e);
        } catch (IOException | RuntimeException e) {
            throw new Checkpoint.CheckpointException("checkpoint " + file + " is not readable: " + e, e);
        }
        if (state.formatVersion() < TrainerState.OLDEST_READABLE_VERSION || state.formatVersion() > TrainerState.FORMAT_VERSION) {
            throw new Checkpoint.CheckpointException("checkpoint " + file + " has trainer state version "
                    + state.formatVersion() + ", this build reads versions " + TrainerState.OLDEST_READABLE_VERSION
                    + " to " + TrainerState.FORMAT_VERSION, null);
        }
        return state;
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for reading; the rename itself is still atomic
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    private static URI zipUri(Path file) {
        return URI.create("jar:" + file.toAbsolutePath().toUri());
    }
}
