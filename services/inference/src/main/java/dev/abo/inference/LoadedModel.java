package dev.abo.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.detect.Detection;
import dev.abo.core.detect.Nms;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.predict.ServingPredictor;

/**
 * One immutable servable model: the predictor (per-thread network clones, decode in plain Java), its name
 * and anchor snapshot version, the anchors in input pixels and the class names. Requests read the
 * {@link ModelHolder} once and keep the instance they got, so a swap never changes a request half-way.
 */
public record LoadedModel(ServingPredictor predictor, String name, long version, AnchorSet anchors, List<String> classNames) {

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
     * The detections of {@code image} (any size, stretched to the input as in training) in its own pixels,
     * by score descending: class NMS at IoU 0.45 over the boxes scoring at least {@code scoreThreshold}, at
     * most {@code maxDetections}. Thresholding before the suppression keeps exactly the boxes that
     * thresholding after it would (greedy NMS only suppresses a box by a higher-scoring one).
     *
     * @param scoreThreshold in [0, 1]
     * @param maxDetections  in [1, {@link #MAX_DETECTIONS}]
     */
    public List<Detection> detect(RgbImage image, double scoreThreshold, int maxDetections) {
        if (maxDetections < 1 || maxDetections > MAX_DETECTIONS) {
            throw new IllegalArgumentException("maxDetections must be in [1, " + MAX_DETECTIONS + "], got " + maxDetections);
        }
        return predictor.detect(image, new Nms(Nms.PAPER_IOU_THRESHOLD, maxDetections, scoreThreshold));
    }

    /**
     * Reads a checkpoint file and builds its predictor.
     *
     * @param classNames one per class; empty means {@code class0, class1, ...}
     */
    public static LoadedModel load(Path checkpoint, String name, long version, List<String> classNames)
            throws Checkpoint.CheckpointException {
        Checkpoint.Loaded loaded = Checkpoint.read(checkpoint, false);
        ServingPredictor predictor = new ServingPredictor(loaded.net(), loaded.config());
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
