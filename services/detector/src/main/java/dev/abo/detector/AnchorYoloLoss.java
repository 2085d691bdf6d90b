package dev.abo.detector;

import java.util.Arrays;

import dev.abo.core.assign.AssignmentDistance;
import dev.abo.core.assign.AssignmentPolicy;
import dev.abo.core.geometry.BoxCodec;

/**
 * The YOLOv2 region loss with learnable log-anchors (paper Sec. 3.1-3.2) and its exact gradients with
 * respect to the head outputs and the log-anchors, in plain Java on flat C-order arrays: what
 * {@link AnchorYoloOutputLayer} computes for DL4J.
 *
 * <p>Head output {@code [B, A(3+C) + 2A, S, S]}: per anchor {@code k} the channels {@code k(3+C) + (tx, ty, to,
 * class logits...)}, then {@code A(3+C) + 2k + (tw, th)} (the BN-without-shift branch). Labels: {@link LabelLayout}.
 * Log-anchors {@code sw, sh} in grid units.
 *
 * <p>The loss, summed over the batch (DL4J divides the gradient by B in its updater and the score by B). A cell
 * holds up to A ground truths {@code g_j} (slots); every sum runs over the (ground truth j, anchor i) pairs of a
 * cell, with {@code o_ij} the hard owner, {@code r_ij} the localisation weight and {@code resp_i = sum_j o_ij}
 * (0 or 1):
 * <pre>
 *   xy  = lambdaCoord sum r_ij [(sigma(tx_i) - fx_j)^2 + (sigma(ty_i) - fy_j)^2]
 *   wh  = lambdaCoord sum r_ij [(tw_i + sw_i - log gw_j)^2 + (th_i + sh_i - log gh_j)^2]          (Eq. 3)
 *   obj = lambdaObj   sum_i resp_i (sigma(to_i) - target_i)^2,  target_i = IoU(pred_i, owned g_j) (a constant) or 1
 *   no  = lambdaNoObj sum_i (1 - resp_i) [max_j IoU(pred_i, g_j) <= ignoreThreshold] sigma(to_i)^2
 *   cls = lambdaClass sum o_ij (-log softmax(class logits_i)[class_j])                          (C > 1 only)
 *   clu = B * lambda / (2N) sum r_ij [(sw_i - log gw_j)^2 + (sh_i - log gh_j)^2],  N = max(1, sum r_ij)  (Eq. 11-12)
 * </pre>
 * The factor B on the clustering term cancels DL4J's 1/B, so the per-step objective is exactly Eq. 11's batch
 * average. The assignment uses the CURRENT anchors and is a constant for the gradients, as in the paper (delta is
 * fixed before back-propagation): {@code hard_ij} is one-hot on core's {@link AssignmentPolicy#hard()} anchor of
 * {@code g_j} (best shape IoU, ties to the lowest index); {@code o_ij = hard_ij} unless a later slot of the cell has
 * the same anchor (YOLOv2 overwrites the earlier target: core's {@code Assignment.slotOwners()}); {@code soft_ij}
 * is {@link AssignmentPolicy#soft} at temperature T (Eq. 10, every ground truth, no collisions);
 * {@code r = (1 - alpha) o + alpha soft}. The IoU target and the ignore test (constants too) use only the ground
 * truths of the prediction's own cell. alpha, T ({@code >= }{@link LossSchedule#MIN_TEMPERATURE}) and lambda are
 * read per cell from the label planes.
 *
 * <p>Gradients (all others are 0): with {@code sig' = sigma (1 - sigma)},
 * <pre>
 *   dL/dtx_i = 2 lambdaCoord sig'(tx_i) sum_j r_ij (sigma(tx_i) - fx_j)                      (ty likewise)
 *   dL/dtw_i = 2 lambdaCoord sum_j r_ij (tw_i + sw_i - log gw_j)                              (th likewise)
 *   dL/dto_i = sig'(to_i) [2 lambdaObj resp_i (sigma(to_i) - target_i) + 2 lambdaNoObj noObjWeight_i sigma(to_i)]
 *   dL/dz_ic = lambdaClass sum_j o_ij (softmax(z_i)_c sum_c' y_jc' - y_jc)                     (y: class one-hot)
 *   dL/dsw_i = sum_cells dL/dtw_i + (B / N) sum r_ij lambda (sw_i - log gw_j)                  (sh likewise)
 * </pre>
 * Equal to the SameDiff autodiff of the same graph (the reference implementation in the tests). Instances are
 * immutable and thread-safe.
 */
public final class AnchorYoloLoss {
    private final int numAnchors;
    private final int numClasses;
    private final int gridSize;
    private final double lambdaCoord;
    private final double lambdaObj;
    private final double lambdaNoObj;
    private final double lambdaClass;
    private final double ignoreThreshold;
    private final DetectorConfig.ObjectnessTarget objectnessTarget;

    public AnchorYoloLoss(int numAnchors, int numClasses, int gridSize, double lambdaCoord, double lambdaObj,
                          double lambdaNoObj, double lambdaClass, double ignoreThreshold,
                          DetectorConfig.ObjectnessTarget objectnessTarget) {
        if (numAnchors < 1 || numClasses < 1 || gridSize < 1) {
            throw new IllegalArgumentException("anchors, classes and grid size must be >= 1, got " + numAnchors + ", "
                    + numClasses + ", " + gridSize);
        }
        this.numAnchors = numAnchors;
        this.numClasses = numClasses;
        this.gridSize = gridSize;
        this.lambdaCoord = lambdaCoord;
        this.lambdaObj = lambdaObj;
        this.lambdaNoObj = lambdaNoObj;
        this.lambdaClass = lambdaClass;
        this.ignoreThreshold = ignoreThreshold;
        this.objectnessTarget = objectnessTarget;
    }

    /** The loss of a {@link DetectorConfig}. */
    public static AnchorYoloLoss of(DetectorConfig config) {
        return new AnchorYoloLoss(config.numAnchors(), config.numClasses(), config.gridSize(), config.lambdaCoord(),
                config.lambdaObj(), config.lambdaNoObj(), config.lambdaClass(), config.ignoreThreshold(),
                config.objectnessTarget());
    }

    /**
     * The loss of each example and, if computed, the gradients of the summed loss.
     *
     * @param perExample the loss of each image: its own terms plus its part of the clustering term (whose N is the
     *                   whole batch's); they sum to the loss
     * @param dInput     dL/d(head output), the layout of the input; null when not computed
     * @param dLogW      dL/dsw per anchor; null when not computed
     * @param dLogH      dL/dsh per anchor; null when not computed
     */
    public record Evaluation(double[] perExample, double[] dInput, double[] dLogW, double[] dLogH) {
        /** The loss summed over the batch. */
        public double total() {
            double sum = 0;
            for (double v : perExample) {
                sum += v;
            }
            return sum;
        }
    }

    /** Channels of the head output: {@code A(3+C) + 2A}. */
    public int inputChannels() {
        return numAnchors * (3 + numClasses) + 2 * numAnchors;
    }

    /** The loss only (no gradient arrays). See {@link #lossAndGradients} for the arguments. */
    public Evaluation loss(double[] input, double[] labels, int batch, double[] logW, double[] logH) {
        return evaluate(input, labels, batch, logW, logH, false);
    }

    /**
     * The loss and its gradients.
     *
     * @param input  the head output {@code [B, A(3+C) + 2A, S, S]}, flat in C order
     * @param labels the labels {@code [B, LabelLayout.planes(C, A), S, S]}, flat in C order
     * @param batch  B
     * @param logW   {@code sw}, length A (log anchor widths, grid units)
     * @param logH   {@code sh}, length A
     */
    public Evaluation lossAndGradients(double[] input, double[] labels, int batch, double[] logW, double[] logH) {
        return evaluate(input, labels, batch, logW, logH, true);
    }

    private Evaluation evaluate(double[] in, double[] labels, int batch, double[] logW, double[] logH, boolean gradients) {
        int a = numAnchors;
        int c = numClasses;
        int plane = gridSize * gridSize;
        int per = 3 + c;
        int cin = inputChannels();
        int planes = LabelLayout.planes(c, a);
        check("input", in.length, (long) batch * cin * plane);
        check("labels", labels.length, (long) batch * planes * plane);
        if (logW.length != a || logH.length != a) {
            throw new IllegalArgumentException("expected " + a + " log-anchors, got " + logW.length + " widths and "
                    + logH.length + " heights");
        }
        double[] aw = new double[a];
        double[] ah = new double[a];
        for (int i = 0; i < a; i++) {
            aw[i] = Math.exp(logW[i]);
            ah[i] = Math.exp(logH[i]);
        }
        double[] perExample = new double[batch];
        double[] clusterSums = new double[batch];      // sum r lambda [...] of each image, scaled by B / 2N at the end
        double[] dInput = gradients ? new double[in.length] : null;
        double[] dLogW = new double[a];
        double[] dLogH = new double[a];
        double[] clusterW = new double[a];            // sum r lambda (sw - log gw), scaled by B / N at the end
        double[] clusterH = new double[a];
        double weightSum = 0;                         // N before the max(1, .)

        // the present slots of the current cell, compacted: q < m
        int[] slot = new int[a];
        double[] fx = new double[a];
        double[] fy = new double[a];
        double[] lgw = new double[a];
        double[] lgh = new double[a];
        double[] gw = new double[a];
        double[] gh = new double[a];
        int[] best = new int[a];
        double[][] soft = new double[a][a];
        int[] owner = new int[a];                     // per anchor: the q owning it, or -1
        AssignmentPolicy hard = AssignmentPolicy.hard();
        AssignmentPolicy softPolicy = null;

        for (int b = 0; b < batch; b++) {
            double imageLoss = 0;
            double imageCluster = 0;
            for (int cell = 0; cell < plane; cell++) {
                int lb = b * planes * plane + cell;
                int ib = b * cin * plane + cell;
                double alpha = labels[lb + LabelLayout.SOFT_WEIGHT * plane];
                double temperature = Math.max(labels[lb + LabelLayout.TEMPERATURE * plane], LossSchedule.MIN_TEMPERATURE);
                double lambda = labels[lb + LabelLayout.LAMBDA * plane];
                int m = 0;
                for (int j = 0; j < a; j++) {
                    if (labels[lb + LabelLayout.slotPlane(j, LabelLayout.PRESENT, c) * plane] == 0) {
                        continue;
                    }
                    slot[m] = j;
                    fx[m] = labels[lb + LabelLayout.slotPlane(j, LabelLayout.OFFSET_X, c) * plane];
                    fy[m] = labels[lb + LabelLayout.slotPlane(j, LabelLayout.OFFSET_Y, c) * plane];
                    lgw[m] = labels[lb + LabelLayout.slotPlane(j, LabelLayout.LOG_W, c) * plane];
                    lgh[m] = labels[lb + LabelLayout.slotPlane(j, LabelLayout.LOG_H, c) * plane];
                    gw[m] = Math.exp(lgw[m]);
                    gh[m] = Math.exp(lgh[m]);
                    best[m] = hard.responsibleAnchor(gw[m], gh[m], aw, ah);
                    if (alpha != 0) {
                        if (softPolicy == null || softPolicy.temperature() != temperature) {
                            softPolicy = AssignmentPolicy.soft(AssignmentDistance.IOU, temperature);
                        }
                        softPolicy.weights(gw[m], gh[m], aw, ah, soft[m]);
                    }
                    m++;
                }
                Arrays.fill(owner, -1);
                for (int q = 0; q < m; q++) {
                    owner[best[q]] = q;                   // a later slot with the same anchor overwrites (slotOwners)
                }

                for (int i = 0; i < a; i++) {
                    int kb = ib + i * per * plane;
                    int wb = ib + (a * per + 2 * i) * plane;
                    double px = BoxCodec.sigmoid(in[kb]);
                    double py = BoxCodec.sigmoid(in[kb + plane]);
                    double po = BoxCodec.sigmoid(in[kb + 2 * plane]);
                    double tw = in[wb];
                    double th = in[wb + plane];
                    double pw = Math.exp(tw + logW[i]);
                    double ph = Math.exp(th + logH[i]);

                    double xy = 0;
                    double wh = 0;
                    double gx = 0;          // sum r (px - fx)
                    double gy = 0;
                    double gtw = 0;         // sum r (tw + sw - log gw)
                    double gth = 0;
                    boolean ignored = false;
                    double ownedIou = 0;
                    for (int q = 0; q < m; q++) {
                        double r = (owner[i] == q ? 1 - alpha : 0) + (alpha != 0 ? soft[q][i] * alpha : 0);
                        if (r != 0) {
                            double dx = px - fx[q];
                            double dy = py - fy[q];
                            xy += r * (dx * dx + dy * dy);
                            gx += r * dx;
                            gy += r * dy;
                            double ew = tw + logW[i] - lgw[q];
                            double eh = th + logH[i] - lgh[q];
                            wh += r * (ew * ew + eh * eh);
                            gtw += r * ew;
                            gth += r * eh;
                            double cw = logW[i] - lgw[q];
                            double ch = logH[i] - lgh[q];
                            double rl = r * lambda;
                            imageCluster += rl * (cw * cw + ch * ch);
                            clusterW[i] += rl * cw;
                            clusterH[i] += rl * ch;
                            weightSum += r;
                        }
                        double iou = boxIou(px, py, pw, ph, fx[q], fy[q], gw[q], gh[q]);
                        ignored |= iou > ignoreThreshold;
                        if (owner[i] == q) {
                            ownedIou = iou;
                        }
                    }
                    imageLoss += lambdaCoord * (xy + wh);

                    double dObj;            // dL/d sigma(to)
                    if (owner[i] >= 0) {
                        double target = objectnessTarget == DetectorConfig.ObjectnessTarget.IOU ? ownedIou : 1;
                        double e = po - target;
                        imageLoss += lambdaObj * e * e;
                        dObj = 2 * lambdaObj * e;
                    } else if (!ignored) {
                        imageLoss += lambdaNoObj * po * po;
                        dObj = 2 * lambdaNoObj * po;
                    } else {
                        dObj = 0;
                    }

                    if (c > 1 && owner[i] >= 0) {
                        int y0 = lb + LabelLayout.slotPlane(slot[owner[i]], LabelLayout.CLASS_0, c) * plane;
                        double logSumExp = ClassSoftmax.logSumExp(in, kb + 3 * plane, plane, c);
                        double ce = 0;
                        double ySum = 0;
                        for (int k = 0; k < c; k++) {
                            double y = labels[y0 + k * plane];
                            ce -= y * (in[kb + (3 + k) * plane] - logSumExp);
                            ySum += y;
                        }
                        imageLoss += lambdaClass * ce;
                        if (gradients) {
                            for (int k = 0; k < c; k++) {
                                double p = Math.exp(in[kb + (3 + k) * plane] - logSumExp);
                                dInput[kb + (3 + k) * plane] = lambdaClass * (p * ySum - labels[y0 + k * plane]);
                            }
                        }
                    }

                    dLogW[i] += 2 * lambdaCoord * gtw;
                    dLogH[i] += 2 * lambdaCoord * gth;
                    if (gradients) {
                        dInput[kb] = 2 * lambdaCoord * gx * px * (1 - px);
                        dInput[kb + plane] = 2 * lambdaCoord * gy * py * (1 - py);
                        dInput[kb + 2 * plane] = dObj * po * (1 - po);
                        dInput[wb] = 2 * lambdaCoord * gtw;
                        dInput[wb + plane] = 2 * lambdaCoord * gth;
                    }
                }
            }
            perExample[b] = imageLoss;
            clusterSums[b] = imageCluster;
        }

        double n = Math.max(weightSum, 1.0);
        for (int b = 0; b < batch; b++) {
            perExample[b] += clusterSums[b] * batch / n * 0.5;
        }
        if (!gradients) {
            return new Evaluation(perExample, null, null, null);
        }
        for (int i = 0; i < a; i++) {
            dLogW[i] += batch / n * clusterW[i];
            dLogH[i] += batch / n * clusterH[i];
        }
        return new Evaluation(perExample, dInput, dLogW, dLogH);
    }

    /** IoU of centre-size boxes in the same (cell-relative grid) units; the graph's formula, term for term. */
    static double boxIou(double px, double py, double pw, double ph, double gx, double gy, double gw, double gh) {
        double iw = Math.max(Math.min(px + pw * 0.5, gx + gw * 0.5) - Math.max(px - pw * 0.5, gx - gw * 0.5), 0.0);
        double ih = Math.max(Math.min(py + ph * 0.5, gy + gh * 0.5) - Math.max(py - ph * 0.5, gy - gh * 0.5), 0.0);
        double inter = iw * ih;
        return inter / (pw * ph + gw * gh - inter);
    }

    private static void check(String what, int length, long expected) {
        if (length != expected) {
            throw new IllegalArgumentException(what + " has " + length + " values, expected " + expected);
        }
    }
}
