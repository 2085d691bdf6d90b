package dev.abo.core.assign;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one rule that decides which anchors are responsible for a ground-truth box; shared by the
 * detector's loss and by {@code AnchorStatistics} so the rule lives in one place.
 *
 * <p>A box belongs to the grid cell containing its centre (YOLOv2). Within that cell the anchors get
 * weights {@code delta_k} that sum to 1:
 * <ul>
 *   <li>{@link AssignmentMode#HARD}: one-hot on the anchor with the smallest {@link AssignmentDistance}
 *       (with {@code IOU}, the best shape IoU as in YOLOv2);</li>
 *   <li>{@link AssignmentMode#SOFT}: paper Eq. 10, {@code delta_k = softmax_k(-dist_k / T)}, computed
 *       after subtracting the smallest distance so no exponent is positive. {@code T == 0} gives exactly
 *       the hard one-hot.</li>
 * </ul>
 * Ties in distance go to the lowest anchor index in the hard rule (and at {@code T == 0}). Note that
 * for {@code T > 0} tied anchors get equal weight however small {@code T} is, so the hard rule is the
 * limit {@code T -> 0} except on exact ties.
 *
 * @param temperature the softmax temperature T (dimensionless, in units of the distance); must be
 *                    finite and {@code >= 0}, and 0 for {@code HARD}
 */
public record AssignmentPolicy(AssignmentMode mode, AssignmentDistance distance, double temperature) {

    public AssignmentPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(distance, "distance");
        if (!Double.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (mode == AssignmentMode.HARD && temperature != 0) {
            throw new IllegalArgumentException("a HARD policy has no temperature, got " + temperature);
        }
    }

    /** YOLOv2's rule: one-hot on the best-shape-IoU anchor. */
    public static AssignmentPolicy hard() {
        return new AssignmentPolicy(AssignmentMode.HARD, AssignmentDistance.IOU, 0);
    }

    /** One-hot on the anchor nearest under {@code distance}. */
    public static AssignmentPolicy hard(AssignmentDistance distance) {
        return new AssignmentPolicy(AssignmentMode.HARD, distance, 0);
    }

    /** Paper Eq. 10 at temperature {@code t} (e.g. {@code WarmupSchedule.temperature(step)}). */
    public static AssignmentPolicy soft(AssignmentDistance distance, double t) {
        return new AssignmentPolicy(AssignmentMode.SOFT, distance, t);
    }

    /**
     * The anchor with the smallest distance to {@code gt} (the largest weight); ties go to the lowest
     * index. This is the hard choice, and the argmax of {@link #weights} for any temperature.
     */
    public int responsibleAnchor(Shape gt, AnchorSet anchors) {
        double[] w = new double[anchors.size()];
        double[] h = new double[anchors.size()];
        sizes(anchors, w, h);
        return responsibleAnchor(gt.w(), gt.h(), w, h);
    }

    /**
     * {@link #responsibleAnchor(Shape, AnchorSet)} for a ground truth of size {@code gtW x gtH} and anchors of sizes
     * {@code anchorW[k] x anchorH[k]}, all in one unit (the loss's hot path: no allocation, no validation).
     */
    public int responsibleAnchor(double gtW, double gtH, double[] anchorW, double[] anchorH) {
        int best = 0;
        double bestDistance = distance.between(anchorW[0], anchorH[0], gtW, gtH);
        for (int k = 1; k < anchorW.length; k++) {
            double d = distance.between(anchorW[k], anchorH[k], gtW, gtH);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The weights {@code delta_k} of each anchor for {@code gt}: length {@code anchors.size()}, sum 1. */
    public double[] weights(Shape gt, AnchorSet anchors) {
        double[] w = new double[anchors.size()];
        double[] h = new double[anchors.size()];
        sizes(anchors, w, h);
        double[] out = new double[anchors.size()];
        weights(gt.w(), gt.h(), w, h, out);
        return out;
    }

    /**
     * {@link #weights(Shape, AnchorSet)} for a ground truth of size {@code gtW x gtH} and anchors of sizes
     * {@code anchorW[k] x anchorH[k]}, all in one unit, written into {@code out} (length {@code anchorW.length}):
     * the loss's hot path, no allocation and no validation.
     */
    public void weights(double gtW, double gtH, double[] anchorW, double[] anchorH, double[] out) {
        for (int k = 0; k < anchorW.length; k++) {
            out[k] = distance.between(anchorW[k], anchorH[k], gtW, gtH);
        }
        int best = argmin(out);
        if (mode == AssignmentMode.HARD || temperature == 0) {
            Arrays.fill(out, 0.0);
            out[best] = 1;
            return;
        }
        double nearest = out[best];
        double sum = 0;
        for (int k = 0; k < anchorW.length; k++) {
            out[k] = Math.exp(-(out[k] - nearest) / temperature); // exponent <= 0, out[best] == 1
            sum += out[k];
        }
        for (int k = 0; k < anchorW.length; k++) {
            out[k] /= sum;
        }
    }

    /**
     * Assigns each ground-truth box (pixels of the network input {@code anchors} is declared at) to the
     * cell of a {@code gridW x gridH} grid containing its centre, with stride
     * {@code inputWidth / gridW} (and {@code inputHeight / gridH}). A centre exactly on the right or
     * bottom edge of the input belongs to the last cell; a centre outside the input is an error.
     *
     * @throws IllegalArgumentException if the grid is empty, a centre lies outside the input, or a box
     *                                  has no positive width and height
     */
    public Assignment assign(List<Box> gts, AnchorSet anchors, int gridW, int gridH) {
        if (gridW <= 0 || gridH <= 0) {
            throw new IllegalArgumentException("grid must be positive, got " + gridW + "x" + gridH);
        }
        double strideX = (double) anchors.inputWidth() / gridW;
        double strideY = (double) anchors.inputHeight() / gridH;
        List<GtAssignment> out = new ArrayList<>(gts.size());
        for (int j = 0; j < gts.size(); j++) {
            Box b = gts.get(j);
            double cx = b.cx();
            double cy = b.cy();
            if (!(cx >= 0 && cx <= anchors.inputWidth() && cy >= 0 && cy <= anchors.inputHeight())) {
                throw new IllegalArgumentException("centre (" + cx + ", " + cy + ") of gt #" + j + " is outside the "
                        + anchors.inputWidth() + "x" + anchors.inputHeight() + " input");
            }
            int x = Math.min((int) Math.floor(cx / strideX), gridW - 1);
            int y = Math.min((int) Math.floor(cy / strideY), gridH - 1);
            Shape shape = b.shape();
            out.add(new GtAssignment(j, x, y, weights(shape, anchors), responsibleAnchor(shape, anchors)));
        }
        return new Assignment(out, gridW, gridH, anchors.size());
    }

    private static void sizes(AnchorSet anchors, double[] w, double[] h) {
        for (int k = 0; k < w.length; k++) {
            w[k] = anchors.get(k).w();
            h[k] = anchors.get(k).h();
        }
    }

    /** The first index of the smallest of {@code d[0..n)}, {@code n = d.length}. */
    private static int argmin(double[] d) {
        int best = 0;
        for (int k = 1; k < d.length; k++) {
            if (d[k] < d[best]) {
                best = k;
            }
        }
        return best;
    }
}
