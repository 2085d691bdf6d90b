package dev.abo.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The YOLOv2 region loss with learnable log-anchors (paper Sec. 3.1-3.2), as a DL4J
 * {@link SameDiffOutputLayer}. The anchors are this layer's two parameters {@code sw, sh} (shape
 * {@code [1, A]}, log of the anchor width/height in GRID units; {@code log px = sw + log stride}),
 * declared as bias parameters so they get their own updater ({@code biasUpdater}). DL4J autodiff
 * pushes the loss gradient into them.
 *
 * <p>Input {@code [B, A(3+C) + 2A, S, S]}: first {@code head_main}, per anchor {@code k} the channels
 * {@code k(3+C) + (tx, ty, to, class logits...)}, then the (BN-normalised) {@code head_wh}, per anchor
 * {@code A(3+C) + 2k + (tw, th)}. Labels: {@link LabelLayout}.
 *
 * <p>The loss (summed over the batch; DL4J divides the gradient by B in its updater and the score by
 * B), with {@code r} the assignment weight, {@code h} the hard one-hot, {@code g} the ground truth:
 * <pre>
 *   xy  = lambdaCoord sum r [(sigma(tx) - fx)^2 + (sigma(ty) - fy)^2]
 *   wh  = lambdaCoord sum r [(tw + sw - log gw)^2 + (th + sh - log gh)^2]                   (Eq. 3)
 *   obj = lambdaObj   sum h (sigma(to) - target)^2,  target = stopGradient(IoU(pred, g)) or 1
 *   no  = lambdaNoObj sum (1 - h) [not ignored] sigma(to)^2,  ignored = cell has g and IoU(pred, g) > ignoreThreshold
 *   cls = lambdaClass sum h (-log softmax(class logits)[class])                         (manual log-softmax)
 *   clu = B * lambda / (2N) sum r [(sw - log gw)^2 + (sh - log gh)^2],  N = sum r = #gt      (Eq. 11-12)
 * </pre>
 * The factor B on the clustering term cancels DL4J's 1/B, so the per-step objective is exactly
 * Eq. 11's batch average. Assignment (computed in the graph with the CURRENT anchors, all
 * stop-gradient as in the paper: delta is fixed before back-propagation): {@code hard} is one-hot on the
 * anchor with the best shape IoU against the cell's ground truth (ties: lowest index, like core's
 * {@code AssignmentPolicy}); {@code soft = softmax_k(-(1 - IoU_k)/T)} over the cell's anchors (Eq. 10);
 * {@code r = (1 - alpha) hard + alpha soft}. Localisation uses r (Eq. 1), objectness and class use h.
 *
 * <p>The activations ({@code net.output}) are the decoded predictions {@code [B, A(5+C), S, S]}: per
 * anchor {@code k(5+C) + (bx, by, bw, bh, objectness, class probabilities...)}, box centre and size in
 * grid units ({@code bx = cx + sigma(tx)}, {@code bw = exp(sw + tw)}).
 */
public class AnchorYoloOutputLayer extends SameDiffOutputLayer {
    public static final String PARAM_LOG_W = "sw";
    public static final String PARAM_LOG_H = "sh";
    /** The SameDiff variable returned as activations. */
    public static final String DECODED = "decoded";

    private int numAnchors;
    private int numClasses;
    private int gridSize;
    private double lambdaCoord;
    private double lambdaObj;
    private double lambdaNoObj;
    private double lambdaClass;
    private double ignoreThreshold;
    private DetectorConfig.ObjectnessTarget objectnessTarget;
    private double[] initLogW;
    private double[] initLogH;

    /** For DL4J's JSON configuration. */
    public AnchorYoloOutputLayer() {
    }

    /**
     * @param initLogW      initial {@code sw} per anchor (log width in grid units)
     * @param initLogH      initial {@code sh}
     * @param anchorUpdater the anchors' own updater ({@code Sgd(0)} keeps them fixed; NoOp does NOT)
     */
    public AnchorYoloOutputLayer(DetectorConfig config, double[] initLogW, double[] initLogH, IUpdater anchorUpdater) {
        if (initLogW.length != config.numAnchors() || initLogH.length != config.numAnchors()) {
            throw new IllegalArgumentException("expected " + config.numAnchors() + " initial log-anchors, got "
                    + initLogW.length + " widths and " + initLogH.length + " heights");
        }
        this.numAnchors = config.numAnchors();
        this.numClasses = config.numClasses();
        this.gridSize = config.gridSize();
        this.lambdaCoord = config.lambdaCoord();
        this.lambdaObj = config.lambdaObj();
        this.lambdaNoObj = config.lambdaNoObj();
        this.lambdaClass = config.lambdaClass();
        this.ignoreThreshold = config.ignoreThreshold();
        this.objectnessTarget = config.objectnessTarget();
        this.initLogW = initLogW.clone();
        this.initLogH = initLogH.clone();
        this.biasUpdater = anchorUpdater;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addBiasParam(PARAM_LOG_W, 1, numAnchors);
        params.addBiasParam(PARAM_LOG_H, 1, numAnchors);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray w = params.get(PARAM_LOG_W);
        INDArray h = params.get(PARAM_LOG_H);
        w.assign(Nd4j.createFromArray(initLogW).castTo(w.dataType()).reshape(1, numAnchors));
        h.assign(Nd4j.createFromArray(initLogH).castTo(h.dataType()).reshape(1, numAnchors));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labelsIn, Map<String, SDVariable> params) {
        int a = numAnchors;
        int c = numClasses;
        int s = gridSize;
        int per = 3 + c;
        int whOffset = a * per;
        DataType dt = input.dataType();

        // the labels placeholder shape is frozen at the first call (and [-1,-1] if that was output()): fix it here
        SDVariable labels = sd.reshape(labelsIn, -1, LabelLayout.planes(c), s, s);

        SDVariable sw4 = sd.reshape(params.get(PARAM_LOG_W), 1, a, 1, 1);
        SDVariable sh4 = sd.reshape(params.get(PARAM_LOG_H), 1, a, 1, 1);

        SDVariable tx = channels(sd, input, 0, per, whOffset);
        SDVariable ty = channels(sd, input, 1, per, whOffset);
        SDVariable to = channels(sd, input, 2, per, whOffset);
        SDVariable tw = channels(sd, input, whOffset, 2, whOffset + 2 * a);
        SDVariable th = channels(sd, input, whOffset + 1, 2, whOffset + 2 * a);
        List<SDVariable> logits = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            logits.add(channels(sd, input, 3 + j, per, whOffset));
        }

        SDVariable px = sd.nn.sigmoid(tx);
        SDVariable py = sd.nn.sigmoid(ty);
        SDVariable po = sd.nn.sigmoid(to);
        SDVariable pw = sd.math.exp(tw.add(sw4));
        SDVariable ph = sd.math.exp(th.add(sh4));

        // ---- decoded activations (no labels needed)
        SDVariable gridX = sd.constant(gridCoordinate(s, true, dt));
        SDVariable gridY = sd.constant(gridCoordinate(s, false, dt));
        List<SDVariable> decodedParts = new ArrayList<>(List.of(px.add(gridX), py.add(gridY), pw, ph, po));
        if (c == 1) {
            decodedParts.add(sd.onesLike(po));
        } else {
            SDVariable probs = sd.nn.softmax(sd.stack(2, logits.toArray(new SDVariable[0])), 2);
            for (int j = 0; j < c; j++) {
                decodedParts.add(sd.squeeze(sd.stridedSlice(probs, new long[] {0, 0, j, 0, 0},
                        new long[] {0, 0, j + 1, 0, 0}, new long[] {1, 1, 1, 1, 1}, 0b11011, 0b11011, 0, 0, 0), 2));
            }
        }
        SDVariable stacked = sd.stack(2, decodedParts.toArray(new SDVariable[0]));
        sd.reshape(DECODED, stacked, -1, (long) a * (5 + c), s, s);

        // ---- labels
        SDVariable present = plane(sd, labels, LabelLayout.PRESENT);
        SDVariable fx = plane(sd, labels, LabelLayout.OFFSET_X);
        SDVariable fy = plane(sd, labels, LabelLayout.OFFSET_Y);
        SDVariable lgw = plane(sd, labels, LabelLayout.LOG_W);
        SDVariable lgh = plane(sd, labels, LabelLayout.LOG_H);
        SDVariable alpha = plane(sd, labels, LabelLayout.SOFT_WEIGHT);
        SDVariable temperature = sd.math.max(plane(sd, labels, LabelLayout.TEMPERATURE),
                sd.constant(Nd4j.scalar(dt, LossSchedule.MIN_TEMPERATURE)));
        SDVariable lambda = plane(sd, labels, LabelLayout.LAMBDA);
        SDVariable gw = sd.math.exp(lgw);
        SDVariable gh = sd.math.exp(lgh);

        // ---- assignment with the current anchors, no gradient (delta fixed before back-propagation)
        SDVariable aw = stop(sd, sd.math.exp(sw4));
        SDVariable ah = stop(sd, sd.math.exp(sh4));
        SDVariable inter = sd.math.min(aw, gw).mul(sd.math.min(ah, gh));                       // [B,A,S,S]
        SDVariable shapeIou = stop(sd, inter.div(aw.mul(ah).add(gw.mul(gh)).sub(inter)));
        SDVariable best = sd.argmax(shapeIou, 1);                                                  // first max: lowest index
        SDVariable hard = sd.oneHot(best, a, 1, 1.0, 0.0, dt).mul(present);
        SDVariable soft = sd.nn.softmax(shapeIou.rsub(1.0).neg().div(temperature), 1).mul(present);
        SDVariable r = stop(sd, hard.mul(alpha.rsub(1.0)).add(soft.mul(alpha)));

        // ---- localisation (Eq. 2-3)
        SDVariable lxy = sd.sum(r.mul(sd.math.square(px.sub(fx)).add(sd.math.square(py.sub(fy))))).mul(lambdaCoord);
        SDVariable lwh = sd.sum(r.mul(sd.math.square(tw.add(sw4).sub(lgw)).add(sd.math.square(th.add(sh4).sub(lgh)))))
                .mul(lambdaCoord);

        // ---- objectness
        SDVariable predIou = stop(sd, boxIou(sd, px, py, pw, ph, fx, fy, gw, gh));
        SDVariable target = objectnessTarget == DetectorConfig.ObjectnessTarget.IOU ? predIou : sd.onesLike(po);
        SDVariable lobj = sd.sum(hard.mul(sd.math.square(po.sub(target)))).mul(lambdaObj);
        SDVariable ignored = predIou.gt(ignoreThreshold).castTo(dt).mul(present);
        SDVariable noObjWeight = stop(sd, hard.rsub(1.0).mul(ignored.rsub(1.0)));
        SDVariable lnoobj = sd.sum(noObjWeight.mul(sd.math.square(po))).mul(lambdaNoObj);

        SDVariable total = lxy.add(lwh).add(lobj).add(lnoobj);

        // ---- class cross-entropy with a manual log-softmax (sd.nn.logSoftmax breaks createGradFunction in M2.1)
        if (c > 1) {
            SDVariable max = logits.get(0);
            for (int j = 1; j < c; j++) {
                max = sd.math.max(max, logits.get(j));
            }
            max = stop(sd, max);                  // exact: d/dm [x - m - log sum exp(x - m)] = 0
            SDVariable sumExp = null;
            for (SDVariable l : logits) {
                SDVariable e = sd.math.exp(l.sub(max));
                sumExp = sumExp == null ? e : sumExp.add(e);
            }
            SDVariable logSumExp = sd.math.log(sumExp).add(max);
            SDVariable ce = null;
            for (int j = 0; j < c; j++) {
                SDVariable term = plane(sd, labels, LabelLayout.CLASS_0 + j).mul(logits.get(j).sub(logSumExp));
                ce = ce == null ? term : ce.add(term);
            }
            total = total.add(sd.sum(hard.mul(ce.neg())).mul(lambdaClass));
        }

        // ---- online clustering (Eq. 11-12), batch-averaged over N = number of ground truths
        SDVariable batch = sd.sizeAt(input, 0).castTo(dt);
        SDVariable n = sd.math.max(sd.sum(present), sd.constant(Nd4j.scalar(dt, 1.0)));
        SDVariable clu = sd.sum(r.mul(lambda).mul(sd.math.square(sw4.sub(lgw)).add(sd.math.square(sh4.sub(lgh)))));
        total = total.add(clu.mul(batch).div(n).mul(0.5));

        SDVariable loss = sd.identity("loss", total);
        sd.setLossVariables(loss);                 // required: otherwise "No loss variables" in createGradFunction
        return loss;
    }

    /** Channels {@code first, first + step, ...} below {@code end}: {@code [B, A, S, S]}. */
    private static SDVariable channels(SameDiff sd, SDVariable x, int first, int step, int end) {
        return sd.stridedSlice(x, new long[] {0, first, 0, 0}, new long[] {0, end, 0, 0}, new long[] {1, step, 1, 1},
                0b1101, 0b1101, 0, 0, 0);
    }

    /** One label plane, {@code [B, 1, S, S]}. */
    private static SDVariable plane(SameDiff sd, SDVariable labels, int p) {
        return channels(sd, labels, p, 1, p + 1);
    }

    private static SDVariable stop(SameDiff sd, SDVariable v) {
        return new StopGradient(sd, v).outputVariable();
    }

    /** IoU of centre-size boxes given in the same (cell-relative grid) units. */
    private static SDVariable boxIou(SameDiff sd, SDVariable px, SDVariable py, SDVariable pw, SDVariable ph,
                                     SDVariable gx, SDVariable gy, SDVariable gw, SDVariable gh) {
        SDVariable iw = sd.nn.relu(sd.math.min(px.add(pw.mul(0.5)), gx.add(gw.mul(0.5)))
                .sub(sd.math.max(px.sub(pw.mul(0.5)), gx.sub(gw.mul(0.5)))), 0.0);
        SDVariable ih = sd.nn.relu(sd.math.min(py.add(ph.mul(0.5)), gy.add(gh.mul(0.5)))
                .sub(sd.math.max(py.sub(ph.mul(0.5)), gy.sub(gh.mul(0.5)))), 0.0);
        SDVariable inter = iw.mul(ih);
        return inter.div(pw.mul(ph).add(gw.mul(gh)).sub(inter));
    }

    /** {@code [1, 1, S, S]} holding the column (or row) index of each cell. */
    private static INDArray gridCoordinate(int s, boolean column, DataType dt) {
        INDArray g = Nd4j.create(dt, 1, 1, s, s);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                g.putScalar(new long[] {0, 0, y, x}, column ? x : y);
            }
        }
        return g;
    }

    @Override
    public String activationsVertexName() {
        return DECODED;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.convolutional(gridSize, gridSize, (long) numAnchors * (5 + numClasses));
    }

    public int getNumAnchors() {
        return numAnchors;
    }

    public int getNumClasses() {
        return numClasses;
    }

    public int getGridSize() {
        return gridSize;
    }

    public double getLambdaCoord() {
        return lambdaCoord;
    }

    public double getLambdaObj() {
        return lambdaObj;
    }

    public double getLambdaNoObj() {
        return lambdaNoObj;
    }

    public double getLambdaClass() {
        return lambdaClass;
    }

    public double getIgnoreThreshold() {
        return ignoreThreshold;
    }

    public DetectorConfig.ObjectnessTarget getObjectnessTarget() {
        return objectnessTarget;
    }

    public double[] getInitLogW() {
        return initLogW == null ? null : initLogW.clone();
    }

    public double[] getInitLogH() {
        return initLogH == null ? null : initLogH.clone();
    }
}
