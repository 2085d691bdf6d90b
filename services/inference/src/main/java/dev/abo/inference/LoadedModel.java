package dev.abo.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.detect.Nms;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.predict.Predictor;

/**
 * One immutable servable model: the predictor (per-thread network clones), its name and anchor snapshot
 * version, the anchors in input pixels and the class names. Requests read the {@link ModelHolder} once
 * and keep the instance they got, so a swap never changes a request half-way.
 *
 * <p>The predictor's NMS keeps up to {@link #MAX_DETECTIONS} boxes at score 0 (class NMS, IoU 0.45); a
 * request's score threshold and limit are applied afterwards, which gives the same boxes as thresholding
 * first (greedy NMS only suppresses a box by a higher-scoring one).
 */
public record LoadedModel(Predictor predictor, String name, long version, AnchorSet anchors, List<String> classNames) {

    /** The largest {@code max_detections} a request may ask for. */
    public static final int MAX_DETECTIONS = 1000;

    public LoadedModel {
        classNames = List.copyOf(classNames);
        if (classNames.size() != predictor.config().numClasses()) {
            throw new IllegalArgumentException("model " + name + " v" + version + " has " + predictor.config().numClasses()
                    + " classes but " + classNames.size() + " class names " + classNames);
        }
    }

    /** Network input side in pixels. */
    public int inputSize() {
        return predictor.config().inputSize();
    }

    /**
     * Reads a checkpoint file and builds its predictor.
     *
     * @param classNames one per class; empty means {@code class0, class1, ...}
     */
    public static LoadedModel load(Path checkpoint, String name, long version, List<String> classNames)
            throws Checkpoint.CheckpointException {
        Checkpoint.Loaded loaded = Checkpoint.read(checkpoint, false);
        Predictor predictor = new Predictor(loaded.net(), loaded.config(), new Nms(Nms.PAPER_IOU_THRESHOLD, MAX_DETECTIONS, 0.0));
        List<String> names = classNames.isEmpty() ? defaultNames(loaded.config().numClasses()) : classNames;
        return new LoadedModel(predictor, name, version, loaded.anchors(), names);
    }

    static List<String> defaultNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("class" + i);
        }
        return names;
    }
}
