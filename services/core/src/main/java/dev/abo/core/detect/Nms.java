package dev.abo.core.detect;

import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Iou;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-specific greedy non-maximum suppression (paper Sec. 4.1: IoU threshold 0.45, top 300).
 *
 * <p>Candidates with {@code score < minScore} are dropped; the rest are visited by score, highest
 * first, and a candidate is kept unless a kept box OF THE SAME CLASS overlaps it with
 * {@code IoU > iouThreshold} (strictly greater, as darknet: an IoU exactly at the threshold survives).
 * Boxes of other classes never suppress each other. Visiting stops once {@code topK} boxes are kept, so
 * the result is the top-k overall, sorted by score descending. Equal scores keep their input order
 * (stable sort), which makes the result deterministic: among equal-score overlapping boxes the earlier
 * one wins.
 *
 * @param iouThreshold suppression threshold in [0, 1]
 * @param topK         maximum number of detections returned, {@code >= 1}
 * @param minScore     score threshold in [0, 1]; 0 keeps every candidate
 */
public record Nms(double iouThreshold, int topK, double minScore) {

    /** The paper's NMS IoU threshold (Sec. 4.1). */
    public static final double PAPER_IOU_THRESHOLD = 0.45;
    /** The paper's number of detections kept per image (Sec. 4.1). */
    public static final int PAPER_TOP_K = 300;

    public Nms {
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("iouThreshold must be in [0, 1], got " + iouThreshold);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("minScore must be in [0, 1], got " + minScore);
        }
    }

    /** IoU 0.45, top 300, no score threshold. */
    public static Nms paper() {
        return new Nms(PAPER_IOU_THRESHOLD, PAPER_TOP_K, 0);
    }

    /** This NMS with another score threshold. */
    public Nms withMinScore(double score) {
        return new Nms(iouThreshold, topK, score);
    }

    /**
     * The surviving detections, at most {@code topK}, sorted by score descending (ties in input order).
     *
     * @throws IllegalArgumentException if a candidate's score is not finite
     */
    public List<Detection> apply(List<Detection> candidates) {
        List<Detection> sorted = new ArrayList<>(candidates.size());
        for (Detection d : candidates) {
            if (!Double.isFinite(d.score())) {
                throw new IllegalArgumentException("candidate score must be finite: " + d);
            }
            if (d.score() >= minScore) {
                sorted.add(d);
            }
        }
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed()); // List.sort is stable
        List<Detection> kept = new ArrayList<>(Math.min(topK, sorted.size()));
        Map<Integer, List<Box>> keptByClass = new HashMap<>();
        for (Detection d : sorted) {
            if (kept.size() == topK) {
                break;
            }
            List<Box> sameClass = keptByClass.computeIfAbsent(d.classId(), c -> new ArrayList<>());
            if (!overlapsAny(d.box(), sameClass)) {
                kept.add(d);
                sameClass.add(d.box());
            }
        }
        return kept;
    }

    private boolean overlapsAny(Box box, List<Box> keptBoxes) {
        for (Box k : keptBoxes) {
            if (Iou.of(box, k) > iouThreshold) {
                return true;
            }
        }
        return false;
    }
}
