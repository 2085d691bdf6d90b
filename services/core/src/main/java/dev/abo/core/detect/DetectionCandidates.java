package dev.abo.core.detect;

import dev.abo.core.geometry.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds NMS candidates from the detector's per-anchor outputs (paper Sec. 4.1): for anchor box i and
 * class c the score is {@code objectness[i] * classProbabilities[i][c]} (objectness times the
 * conditional class probability).
 */
public final class DetectionCandidates {
    private DetectionCandidates() {
    }

    /**
     * One candidate per (box, class) with {@code score >= minScore}, in box order then class order
     * (this order breaks score ties in {@link Nms}).
     *
     * @param boxes              decoded anchor boxes in image pixels
     * @param objectness         one objectness in [0, 1] per box
     * @param classProbabilities per box, the conditional class probabilities (same length C for all)
     * @param minScore           score threshold; 0 keeps every (box, class)
     */
    public static List<Detection> fromAnchors(List<Box> boxes, double[] objectness, double[][] classProbabilities,
            double minScore) {
        if (boxes.size() != objectness.length || boxes.size() != classProbabilities.length) {
            throw new IllegalArgumentException("boxes, objectness and class probabilities differ in length: "
                    + boxes.size() + ", " + objectness.length + ", " + classProbabilities.length);
        }
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            double[] p = classProbabilities[i];
            if (p.length != classProbabilities[0].length) {
                throw new IllegalArgumentException("box " + i + " has " + p.length + " class probabilities, box 0 has "
                        + classProbabilities[0].length);
            }
            for (int c = 0; c < p.length; c++) {
                double score = objectness[i] * p[c];
                if (score >= minScore) {
                    out.add(new Detection(boxes.get(i), c, score));
                }
            }
        }
        return out;
    }
}
