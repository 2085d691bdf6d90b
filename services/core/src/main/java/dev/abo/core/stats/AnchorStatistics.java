package dev.abo.core.stats;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.assign.AssignmentPolicy;
import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How well an anchor set fits a set of ground-truth shapes (all in pixels of the same network input).
 *
 * @param boxCount           number of ground-truth shapes measured
 * @param averageBestIou     mean over boxes of the best centred shape IoU over anchors (YOLOv2's
 *                           k-means fitness, the "Avg IoU" of its Table 1)
 * @param bestPossibleRecall fraction of boxes with {@code best > 1/ratioThreshold}, where per anchor
 *                           {@code x = min over w,h of min(r, 1/r)}, {@code r = gt / anchor}, and
 *                           {@code best = max over anchors of x} (YOLOv5 AutoAnchor's ratio rule)
 * @param anchorsPerTarget   mean over boxes of the number of anchors with {@code x > 1/ratioThreshold}
 * @param matchedPerAnchor   per anchor, how many boxes the hard {@link AssignmentPolicy} gives to it
 *                           (shape only: grid cells are not involved)
 * @param ratioThreshold     the width/height ratio threshold (YOLOv5 default 4)
 */
public record AnchorStatistics(int boxCount, double averageBestIou, double bestPossibleRecall,
        double anchorsPerTarget, List<Integer> matchedPerAnchor, double ratioThreshold) {

    /** YOLOv5's default {@code anchor_t}: a box fits an anchor when both side ratios are within 4x. */
    public static final double DEFAULT_RATIO_THRESHOLD = 4.0;

    public AnchorStatistics {
        matchedPerAnchor = List.copyOf(matchedPerAnchor);
    }

    /** Statistics with YOLOv2's hard best-IoU assignment and ratio threshold 4. */
    public static AnchorStatistics of(List<Shape> gts, AnchorSet anchors) {
        return of(gts, anchors, AssignmentPolicy.hard(), DEFAULT_RATIO_THRESHOLD);
    }

    /**
     * @param policy         decides {@link #matchedPerAnchor} through its
     *                       {@link AssignmentPolicy#responsibleAnchor} (the hard choice)
     * @param ratioThreshold finite, {@code >= 1}
     * @throws IllegalArgumentException if {@code gts} is empty or the threshold is invalid
     */
    public static AnchorStatistics of(List<Shape> gts, AnchorSet anchors, AssignmentPolicy policy,
            double ratioThreshold) {
        Objects.requireNonNull(policy, "policy");
        if (gts.isEmpty()) {
            throw new IllegalArgumentException("no ground-truth shapes to measure");
        }
        if (!Double.isFinite(ratioThreshold) || ratioThreshold < 1) {
            throw new IllegalArgumentException("ratioThreshold must be finite and >= 1, got " + ratioThreshold);
        }
        double minFit = 1 / ratioThreshold;
        int[] matched = new int[anchors.size()];
        double iouSum = 0;
        int recalled = 0;
        int fittingPairs = 0;
        for (Shape gt : gts) {
            double bestIou = 0;
            double bestFit = 0;
            for (Shape a : anchors.shapes()) {
                bestIou = Math.max(bestIou, Iou.ofShapes(a, gt));
                double fit = ratioFit(gt, a);
                bestFit = Math.max(bestFit, fit);
                if (fit > minFit) {
                    fittingPairs++;
                }
            }
            iouSum += bestIou;
            if (bestFit > minFit) {
                recalled++;
            }
            matched[policy.responsibleAnchor(gt, anchors)]++;
        }
        List<Integer> perAnchor = new ArrayList<>(matched.length);
        for (int m : matched) {
            perAnchor.add(m);
        }
        int n = gts.size();
        return new AnchorStatistics(n, iouSum / n, (double) recalled / n, (double) fittingPairs / n, perAnchor,
                ratioThreshold);
    }

    /** {@code min over w,h of min(r, 1/r)} with {@code r = gt / anchor}: 1 for equal shapes, in (0, 1]. */
    static double ratioFit(Shape gt, Shape anchor) {
        double rw = gt.w() / anchor.w();
        double rh = gt.h() / anchor.h();
        return Math.min(Math.min(rw, 1 / rw), Math.min(rh, 1 / rh));
    }
}
