package dev.abo.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.abo.core.anchor.AnchorSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The REFERENCE implementation of {@link AnchorYoloLoss} for the tests: the same loss written as a DL4J
 * {@link SameDiffOutputLayer} graph, its gradients by SameDiff autodiff. It was the production output layer until
 * the loss moved to plain Java ({@link AnchorYoloOutputLayer}, about 9% of a training step in SameDiff); the graph is
 * kept unchanged so that {@code AnchorYoloLossTest} can pin the analytic loss and gradients to it.
 *
 * <p>The anchors are this layer's two parameters {@code sw, sh} (shape {@code [1, A]}, declared as bias
 * parameters so they get their own updater ({@code biasUpdater}); the same flattened layout as
 * {@link AnchorYoloOutputLayer}, so parameters copy between the two). Input, labels, loss and activations: as
 * {@link AnchorYoloLoss} and {@link AnchorYoloOutputLayer} describe them. The assignment is computed in the graph
 * ({@code argmax} of the shape IoU, first maximum; softmax of {@code -(1 - IoU)/T}; all stop-gradient).
 */
public class SameDiffAnchorYoloOutputLayer extends SameDiffOutputLayer {
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
    public SameDiffAnchorYoloOutputLayer() {
    }

    /**
     * @param initLogW      initial {@code sw} per anchor (log width in grid units)
     * @param initLogH      initial {@code sh}
     * @param anchorUpdater the anchors' own updater ({@code Sgd(0)} keeps them fixed; NoOp does NOT)
     */
    public SameDiffAnchorYoloOutputLayer(DetectorConfig config, double[] initLogW, double[] initLogH, IUpdater anchorUpdater) {
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

    /**
     * {@link DetectorGraph}'s network for {@code config} with this layer in place of {@link AnchorYoloOutputLayer}
     * (same initial anchors and anchor updater; every other vertex identical, so {@code setParams} copies a
     * DetectorGraph network's parameters into it).
     */
    static ComputationGraph detectorGraph(DetectorConfig config, AnchorSet anchors, DetectorGraph.Updaters updaters) {
        ComputationGraphConfiguration conf = DetectorGraph.configuration(config, anchors, updaters);
        LayerVertex vertex = (LayerVertex) conf.getVertices().get(DetectorGraph.OUTPUT);
        AnchorYoloOutputLayer analytic = (AnchorYoloOutputLayer) vertex.getLayerConf().getLayer();
        SameDiffAnchorYoloOutputLayer reference = new SameDiffAnchorYoloOutputLayer(config, analytic.getInitLogW(),
                analytic.getInitLogH(), analytic.getAnchorUpdater());
        reference.setLayerName(DetectorGraph.OUTPUT);
        // what GraphBuilder.addLayer does for a SameDiff layer: the global defaults (no regularisation, ...)
        reference.applyGlobalConfig(new NeuralNetConfiguration.Builder().dataType(DetectorGraph.dataType(config))
                .updater(updaters.network()));
        vertex.getLayerConf().setLayer(reference);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
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
        SDVariable labels = sd.reshape(labelsIn, -1, LabelLayout.planes(c, a), s, s);

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

        // ---- labels: K = A slots per cell, each [B, K, 1, S, S] so that it broadcasts against the anchors
        int k = a;
        SDVariable alpha = expand(plane(sd, labels, LabelLayout.SOFT_WEIGHT));                   // [B,1,1,S,S]
        SDVariable temperature = sd.math.max(expand(plane(sd, labels, LabelLayout.TEMPERATURE)),
                sd.constant(Nd4j.scalar(dt, LossSchedule.MIN_TEMPERATURE)));
        SDVariable lambda = expand(plane(sd, labels, LabelLayout.LAMBDA));
        int slotPlanes = LabelLayout.slotPlanes(c);
        int first = LabelLayout.slotPlane(0, 0, c);
        SDVariable present = slotField(sd, labels, LabelLayout.PRESENT, first, slotPlanes, k);      // [B,K,1,S,S]
        SDVariable fx = slotField(sd, labels, LabelLayout.OFFSET_X, first, slotPlanes, k);
        SDVariable fy = slotField(sd, labels, LabelLayout.OFFSET_Y, first, slotPlanes, k);
        SDVariable lgw = slotField(sd, labels, LabelLayout.LOG_W, first, slotPlanes, k);
        SDVariable lgh = slotField(sd, labels, LabelLayout.LOG_H, first, slotPlanes, k);
        SDVariable gw = sd.math.exp(lgw);
        SDVariable gh = sd.math.exp(lgh);

        // predictions and anchors as [B, 1, A, S, S] and [1, 1, A, 1, 1]
        SDVariable sw5 = sd.reshape(params.get(PARAM_LOG_W), 1, 1, a, 1, 1);
        SDVariable sh5 = sd.reshape(params.get(PARAM_LOG_H), 1, 1, a, 1, 1);
        SDVariable px5 = sd.expandDims(px, 1);
        SDVariable py5 = sd.expandDims(py, 1);
        SDVariable tw5 = sd.expandDims(tw, 1);
        SDVariable th5 = sd.expandDims(th, 1);

        // ---- assignment with the current anchors, no gradient (delta fixed before back-propagation): [B, K, A, S, S]
        SDVariable aw = stop(sd, sd.math.exp(sw5));
        SDVariable ah = stop(sd, sd.math.exp(sh5));
        SDVariable inter = sd.math.min(aw, gw).mul(sd.math.min(ah, gh));
        SDVariable shapeIou = stop(sd, inter.div(aw.mul(ah).add(gw.mul(gh)).sub(inter)));
        SDVariable best = sd.argmax(shapeIou, 2);                                                  // first max: lowest index
        SDVariable hard = sd.oneHot(best, a, 2, 1.0, 0.0, dt).mul(present);
        // a slot owns its best anchor unless a LATER slot of the cell has the same best anchor (core's slotOwners)
        SDVariable later = sd.cumsum(hard, true, true, 1);
        SDVariable owner = stop(sd, hard.mul(later.lt(0.5).castTo(dt)));
        SDVariable soft = sd.nn.softmax(shapeIou.rsub(1.0).neg().div(temperature), 2).mul(present);
        SDVariable r = stop(sd, owner.mul(alpha.rsub(1.0)).add(soft.mul(alpha)));

        // ---- localisation (Eq. 2-3), a sum over (ground truth, anchor) pairs weighted by r
        SDVariable lxy = sd.sum(r.mul(sd.math.square(px5.sub(fx)).add(sd.math.square(py5.sub(fy))))).mul(lambdaCoord);
        SDVariable lwh = sd.sum(r.mul(sd.math.square(tw5.add(sw5).sub(lgw)).add(sd.math.square(th5.add(sh5).sub(lgh)))))
                .mul(lambdaCoord);

        // ---- objectness: the anchors owning a ground truth regress to it, the others to 0 unless ignored
        SDVariable pw5 = sd.expandDims(pw, 1);
        SDVariable ph5 = sd.expandDims(ph, 1);
        SDVariable predIou = stop(sd, boxIou(sd, px5, py5, pw5, ph5, fx, fy, gw, gh).mul(present));   // [B,K,A,S,S]
        SDVariable responsible = stop(sd, sd.sum(owner, 1));                                          // [B,A,S,S], 0/1
        SDVariable target;
        if (objectnessTarget == DetectorConfig.ObjectnessTarget.IOU) {
            // the owned ground truth of each anchor, [B, A, S, S] (zero size where none): the IoU target is computed
            // on 4-d tensors, since back-propagating (even zeros, past a stop-gradient) through the 5-d [B,K,1] x [B,1,A]
            // broadcasts of boxIou corrupts the heap in libnd4j M2.1 ("malloc(): invalid size", reproduced)
            target = stop(sd, boxIou(sd, px, py, pw, ph, sd.sum(owner.mul(fx), 1), sd.sum(owner.mul(fy), 1),
                    sd.sum(owner.mul(gw), 1), sd.sum(owner.mul(gh), 1)));
        } else {
            target = sd.onesLike(po);
        }
        SDVariable lobj = sd.sum(responsible.mul(sd.math.square(po.sub(target)))).mul(lambdaObj);
        SDVariable ignored = sd.max(predIou, 1).gt(ignoreThreshold).castTo(dt);
        SDVariable noObjWeight = stop(sd, responsible.rsub(1.0).mul(ignored.rsub(1.0)));
        SDVariable lnoobj = sd.sum(noObjWeight.mul(sd.math.square(po))).mul(lambdaNoObj);

        SDVariable total = lxy.add(lwh).add(lobj).add(lnoobj);

        // ---- class cross-entropy of the owning ground truth, with a manual log-softmax (sd.nn.logSoftmax
        // breaks createGradFunction in M2.1)
        if (c > 1) {
            SDVariable z = sd.stack(2, logits.toArray(new SDVariable[0]));                         // [B,A,C,S,S]
            SDVariable max = stop(sd, sd.max(z, true, 2));   // exact: d/dm [x - m - log sum exp(x - m)] = 0
            SDVariable logSumExp = sd.math.log(sd.sum(sd.math.exp(z.sub(max)), true, 2)).add(max);
            SDVariable logP = sd.expandDims(z.sub(logSumExp), 1);                                  // [B,1,A,C,S,S]
            SDVariable classes = sd.expandDims(sd.reshape(sd.stridedSlice(labels,
                    new long[] {0, first, 0, 0}, new long[] {0, first + (long) k * slotPlanes, 0, 0}, new long[] {1, 1, 1, 1},
                    0b1101, 0b1101, 0, 0, 0), -1, k, slotPlanes, s, s), 2);                          // [B,K,1,P,S,S]
            SDVariable oneHot = sd.stridedSlice(classes, new long[] {0, 0, 0, LabelLayout.CLASS_0, 0, 0},
                    new long[] {0, 0, 0, LabelLayout.CLASS_0 + c, 0, 0}, new long[] {1, 1, 1, 1, 1, 1},
                    0b110111, 0b110111, 0, 0, 0);                                                    // [B,K,1,C,S,S]
            SDVariable ce = sd.sum(oneHot.mul(logP), 3).neg();                                        // [B,K,A,S,S]
            total = total.add(sd.sum(owner.mul(ce)).mul(lambdaClass));
        }

        // ---- online clustering (Eq. 11-12), batch-averaged over N = sum r (the ground truths that own or share an anchor)
        SDVariable batch = sd.sizeAt(input, 0).castTo(dt);
        SDVariable n = sd.math.max(sd.sum(r), sd.constant(Nd4j.scalar(dt, 1.0)));          // N = sum of delta (Eq. 11)
        SDVariable clu = sd.sum(r.mul(lambda).mul(sd.math.square(sw5.sub(lgw)).add(sd.math.square(sh5.sub(lgh)))));
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

    /** {@code [B, 1, S, S] -> [B, 1, 1, S, S]}. */
    private static SDVariable expand(SDVariable plane) {
        return plane.getSameDiff().expandDims(plane, 2);
    }

    /**
     * Field {@code field} of every slot: planes {@code first + k * slotPlanes + field}, {@code k < slots}, as
     * {@code [B, K, 1, S, S]}.
     */
    private static SDVariable slotField(SameDiff sd, SDVariable labels, int field, int first, int slotPlanes, int slots) {
        int from = first + field;
        return sd.expandDims(channels(sd, labels, from, slotPlanes, from + (slots - 1) * slotPlanes + 1), 2);
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
