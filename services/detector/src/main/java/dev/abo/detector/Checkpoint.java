package dev.abo.detector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.abo.core.anchor.AnchorSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The detector's checkpoint: one zip holding DL4J's ModelSerializer entries (configuration.json with
 * the anchor layer, coefficients.bin with all parameters INCLUDING the learned log-anchors and BN
 * running statistics, optionally updaterState.bin) plus {@value #ENTRY}, a small JSON document that
 * readers without DL4J can use: format version, anchors in input pixels, input size, classes, the
 * {@link DetectorConfig} and the training step.
 *
 * <p>Format versions: 1 had no class names; 2 adds {@code classNames} (so {@code abo detect} can print
 * them). Both are read; a version-1 checkpoint gets the names {@link #defaultClassNames}.
 */
public final class Checkpoint {
    /** Name of the abo metadata entry inside the zip. */
    public static final String ENTRY = "abo-checkpoint.json";
    /** The version this build writes. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest version this build reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoint() {
    }

    /**
     * The JSON entry. Anchors are in pixels of {@code inputSize}. {@code classNames} is null in version-1
     * files (and when written without names); {@link #names()} fills in defaults.
     */
    public record Meta(int formatVersion, int inputSize, double[] anchorWidthsPx, double[] anchorHeightsPx,
                       int numClasses, long step, DetectorConfig config, List<String> classNames) {

        /** The class names, or {@link #defaultClassNames} when the file has none. */
        public List<String> names() {
            return classNames != null ? classNames : defaultClassNames(numClasses);
        }
    }

    /** A checkpoint read back; {@code classNames} always has {@code config.numClasses()} entries. */
    public record Loaded(ComputationGraph net, DetectorConfig config, AnchorSet anchors, long step, List<String> classNames) {
    }

    /** {@code class0, class1, ...}: the names of a checkpoint written without any. */
    public static List<String> defaultClassNames(int numClasses) {
        List<String> names = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            names.add("class" + c);
        }
        return List.copyOf(names);
    }

    /** Thrown for an unreadable, truncated, foreign or inconsistent checkpoint file. */
    public static final class CheckpointException extends IOException {
        public CheckpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Writes {@code net} (with Adam state if {@code withUpdater}) and the metadata, without class names. */
    public static void write(Path file, ComputationGraph net, DetectorConfig config, long step, boolean withUpdater)
            throws IOException {
        write(file, net, config, step, withUpdater, null);
    }

    /**
     * Writes {@code net} (with Adam state if {@code withUpdater}) and the metadata to {@code file}, with the
     * class names ({@code classNames.get(c)} names class id c; null = none).
     */
    public static void write(Path file, ComputationGraph net, DetectorConfig config, long step, boolean withUpdater,
                             List<String> classNames) throws IOException {
        if (classNames != null && classNames.size() != config.numClasses()) {
            throw new IllegalArgumentException("the network has " + config.numClasses() + " classes but "
                    + classNames.size() + " class names were given: " + classNames);
        }
        AnchorSet anchors = DetectorGraph.anchors(net, config);
        Meta meta = new Meta(FORMAT_VERSION, config.inputSize(),
                anchors.shapes().stream().mapToDouble(s -> s.w()).toArray(),
                anchors.shapes().stream().mapToDouble(s -> s.h()).toArray(),
                config.numClasses(), step, config, classNames == null ? null : List.copyOf(classNames));
        ModelSerializer.writeModel(net, file.toFile(), withUpdater);
        try (FileSystem zip = FileSystems.newFileSystem(zipUri(file), Map.of());
             OutputStream out = Files.newOutputStream(zip.getPath(ENTRY))) {
            JSON.writeValue(out, meta);
        }
    }

    /** Reads the metadata entry only (no DL4J model is built). */
    public static Meta readMeta(Path file) throws CheckpointException {
        Meta meta;
        try (FileSystem zip = FileSystems.newFileSystem(zipUri(file), Map.of());
             InputStream in = Files.newInputStream(zip.getPath(ENTRY))) {
            meta = JSON.readValue(in, Meta.class);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint " + file + " has no " + ENTRY + " entry: not an abo detector checkpoint", e);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + " is not a readable zip (truncated or corrupt?): " + e, e);
        }
        if (meta.formatVersion() < OLDEST_READABLE_VERSION || meta.formatVersion() > FORMAT_VERSION) {
            throw new CheckpointException("checkpoint " + file + " has format version " + meta.formatVersion()
                    + ", this build reads versions " + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION, null);
        }
        if (meta.classNames() != null && meta.classNames().size() != meta.numClasses()) {
            throw new CheckpointException("checkpoint " + file + " names " + meta.classNames().size() + " classes "
                    + meta.classNames() + " but has " + meta.numClasses(), null);
        }
        return meta;
    }

    /** Reads a checkpoint written by {@link #write}, with the updater state if it has one and {@code withUpdater}. */
    public static Loaded read(Path file, boolean withUpdater) throws CheckpointException {
        Meta meta = readMeta(file);
        ComputationGraph net;
        try {
            net = ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + ": the DL4J model entries cannot be read: " + e, e);
        }
        AnchorSet anchors = DetectorGraph.anchors(net, meta.config());
        double[] w = anchors.shapes().stream().mapToDouble(s -> s.w()).toArray();
        double[] h = anchors.shapes().stream().mapToDouble(s -> s.h()).toArray();
        if (!close(w, meta.anchorWidthsPx()) || !close(h, meta.anchorHeightsPx())) {
            throw new CheckpointException("checkpoint " + file + ": anchors in " + ENTRY + " " + Arrays.toString(meta.anchorWidthsPx())
                    + "x" + Arrays.toString(meta.anchorHeightsPx()) + " disagree with the model's " + Arrays.toString(w)
                    + "x" + Arrays.toString(h), null);
        }
        return new Loaded(net, meta.config(), anchors, meta.step(), meta.names());
    }

    /** Equal up to float rounding (FLOAT networks store log-anchors in single precision). */
    private static boolean close(double[] a, double[] b) {
        if (b == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-9 * Math.max(1, Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private static URI zipUri(Path file) {
        return URI.create("jar:" + file.toAbsolutePath().toUri());
    }
}
