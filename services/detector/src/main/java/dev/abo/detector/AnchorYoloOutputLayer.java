package dev.abo.detector;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonAlias;

/**
 * The detector's output layer (configuration): the YOLOv2 region loss with learnable log-anchors (paper Sec.
 * 3.1-3.2), computed with its exact gradients in plain Java by {@link AnchorYoloLoss}. The anchors are this
 * layer's two parameters {@code sw, sh} (shape {@code [1, A]}, log of the anchor width/height in GRID units;
 * {@code log px = sw + log stride}; {@link AnchorParamInitializer}) with their own updater ({@code anchorUpdater}).
 *
 * <p>Input {@code [B, A(3+C) + 2A, S, S]}: first {@code head_main}, per anchor {@code k} the channels
 * {@code k(3+C) + (tx, ty, to, class logits...)}, then the (BN-normalised) {@code head_wh}, per anchor
 * {@code A(3+C) + 2k + (tw, th)}. Labels: {@link LabelLayout}. Loss and gradients: {@link AnchorYoloLoss}.
 *
 * <p>The activations ({@code net.output}) are the decoded predictions {@code [B, A(5+C), S, S]}: per anchor
 * {@code k(5+C) + (bx, by, bw, bh, objectness, class probabilities...)}, box centre and size in grid units
 * ({@code bx = cx + sigma(tx)}, {@code bw = exp(sw + tw)}).
 *
 * <p>Checkpoints: until 2026-11 this class was a DL4J {@code SameDiffOutputLayer} writing the same loss as a
 * SameDiff graph (now the tests' reference, {@code SameDiffAnchorYoloOutputLayer}). Its JSON carries the same
 * fields ({@code biasUpdater} is read as {@code anchorUpdater}; the SameDiff-only fields are ignored) and its
 * parameters had the same flattened layout ({@code sw} then {@code sh}) and one updater block, so those
 * checkpoints load and keep training unchanged (pinned by {@code CheckpointTest}).
 */
public class AnchorYoloOutputLayer extends Layer {
    public static final String PARAM_LOG_W = "sw";
    public static final String PARAM_LOG_H = "sh";

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
    @JsonAlias("biasUpdater")
    private IUpdater anchorUpdater;

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
        this.anchorUpdater = Objects.requireNonNull(anchorUpdater, "anchorUpdater");
    }

    /** The loss this layer computes. */
    public AnchorYoloLoss loss() {
        return new AnchorYoloLoss(numAnchors, numClasses, gridSize, lambdaCoord, lambdaObj, lambdaNoObj, lambdaClass,
                ignoreThreshold, objectnessTarget);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        AnchorYoloOutputLayerImpl layer = new AnchorYoloOutputLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return AnchorParamInitializer.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.convolutional(gridSize, gridSize, (long) numAnchors * (5 + numClasses));
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // the input channels follow from numAnchors and numClasses
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return List.of();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return anchorUpdater;
    }

    @Override
    public GradientNormalization getGradientNormalization() {
        return GradientNormalization.None;
    }

    @Override
    public double getGradientNormalizationThreshold() {
        return 1.0;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, AnchorYoloOutputLayer.class, inputType, out)
                .standardMemory(2L * numAnchors, 0)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public AnchorYoloOutputLayer clone() {
        AnchorYoloOutputLayer c = (AnchorYoloOutputLayer) super.clone();
        c.initLogW = initLogW == null ? null : initLogW.clone();
        c.initLogH = initLogH == null ? null : initLogH.clone();
        c.anchorUpdater = anchorUpdater == null ? null : anchorUpdater.clone();
        return c;
    }

    /** The initial log-anchors into the parameter views ({@link AnchorParamInitializer}). */
    void initializeParameters(Map<String, INDArray> params) {
        INDArray w = params.get(PARAM_LOG_W);
        INDArray h = params.get(PARAM_LOG_H);
        for (int k = 0; k < numAnchors; k++) {
            w.putScalar(0, k, initLogW[k]);
            h.putScalar(0, k, initLogH[k]);
        }
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

    public IUpdater getAnchorUpdater() {
        return anchorUpdater;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AnchorYoloOutputLayer l) || !super.equals(o)) {
            return false;
        }
        return numAnchors == l.numAnchors && numClasses == l.numClasses && gridSize == l.gridSize
                && lambdaCoord == l.lambdaCoord && lambdaObj == l.lambdaObj && lambdaNoObj == l.lambdaNoObj
                && lambdaClass == l.lambdaClass && ignoreThreshold == l.ignoreThreshold
                && objectnessTarget == l.objectnessTarget && Arrays.equals(initLogW, l.initLogW)
                && Arrays.equals(initLogH, l.initLogH) && Objects.equals(anchorUpdater, l.anchorUpdater);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), numAnchors, numClasses, gridSize, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignoreThreshold, objectnessTarget, Arrays.hashCode(initLogW), Arrays.hashCode(initLogH),
                anchorUpdater);
    }
}
