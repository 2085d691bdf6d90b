package dev.abo.core.eval;

import dev.abo.core.data.Dataset;
import dev.abo.core.detect.Detection;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * COCO bbox evaluation that reproduces pycocotools' {@code COCOeval} (evaluate, accumulate,
 * summarize with iouType 'bbox') number for number.
 *
 * <p>Categories are the dataset's class indices; images are the dataset's images in their list
 * order, which plays the role of pycocotools' ascending image ids (it breaks score ties between
 * images). Within an image, detections keep their list order (pycocotools: results-file order).
 * Ground-truth areas are {@link LabeledObject#area()}; detection areas are box width x height. Crowd
 * objects are "ignore" regions whose IoU is intersection / detection area. A class without any
 * non-ignored ground truth in an area range gets no value there and is left out of the averages,
 * as pycocotools' -1 entries are.
 *
 * <p>Work is split by category over a parallel stream; the inner loops use primitive arrays only.
 */
public final class CocoEvaluator {
    /** pycocotools' maxDets. */
    static final int[] MAX_DETS = {1, 10, 100};

    private final double[] iouThresholds = CocoThresholds.iou();
    private final double[] recallThresholds = CocoThresholds.recall();

    /**
     * Evaluates {@code detections} (image id -> detections, class id = index into the dataset's class
     * names) against the dataset's ground truth.
     *
     * @throws IllegalArgumentException for a detection on an image the dataset does not have, or with
     *                                  a class id outside the dataset's classes
     */
    public CocoStats evaluate(Dataset groundTruth, Map<String, List<Detection>> detections) {
        int classes = groundTruth.classNames().size();
        FlatEvalSet flat = FlatEvalSet.of(groundTruth, detections);
        CocoAccumulation acc = new CocoAccumulation(classes, iouThresholds, recallThresholds);
        IntStream.range(0, classes).parallel()
                .forEach(k -> new CocoCategoryEval(flat, k, iouThresholds, recallThresholds).run(acc));
        return CocoStats.of(groundTruth.classNames(), acc);
    }
}
