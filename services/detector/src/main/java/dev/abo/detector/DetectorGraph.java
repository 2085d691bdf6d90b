package dev.abo.detector;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Builds the detector's ComputationGraph from a {@link DetectorConfig} (dl4j-recipes 2.2):
 * <pre>
 *   input [3, H, W] -> n x (conv_i 3x3 no-bias -> bn_i + leakyReLU(0.1) -> pool_i 2x2, except after the last)
 *     -> head_main conv1x1, A(3+C) channels (tx, ty, to, class logits per anchor), with bias
 *     -> head_wh   conv1x1, 2A channels (tw, th per anchor), no bias
 *          -> bn_wh: BatchNormalization with beta pinned to 0 (paper Sec. 3.2.3), only if bnWithoutShift
 *     -> merge (head_main, bn_wh or head_wh) -> yolo: {@link AnchorYoloOutputLayer} holding the anchors
 * </pre>
 * Anchors enter and leave in input pixels ({@link AnchorSet}); inside the layer they are log grid
 * units, {@code s = log(px / stride)}.
 */
public final class DetectorGraph {
    public static final String INPUT = "input";
    public static final String HEAD_MAIN = "head_main";
    public static final String HEAD_WH = "head_wh";
    public static final String BN_WH = "bn_wh";
    public static final String MERGE = "merge";
    public static final String OUTPUT = "yolo";
    /**
     * Initial scale (BN gamma) of the normalised {@code t_w, t_h} outputs. BN without shift makes these
     * outputs zero-mean and unit-variance over the batch whatever the weights, so with DL4J's default
     * gamma = 1 every initial box is its anchor times {@code exp(N(0, 1))} (a factor 0.37-2.7 off), and at
     * the cells holding objects the normalised outputs are not zero-mean: the fast-moving anchors absorb
     * that random offset (measured: anchors swapping roles, avg IoU falling from k-means' 0.689 to 0.59-0.63)
     * while the network slowly unlearns it. At 0.1 the first boxes are the anchors (+-10%) and gamma grows
     * as the network learns shapes. Measured on synthetic:mixed, 64 px, 300 steps, constant rate, lambda 1
     * after warm-up: held-out AP50 0.065 (gamma 1) vs 0.204 (gamma 0.1); anchors 0.625 vs 0.651 avg IoU.
     */
    public static final double WH_GAMMA_INIT = 0.1;
    /** YOLOv2's leaky ReLU slope. */
    public static final double LEAKY_SLOPE = 0.1;

    private DetectorGraph() {
    }

    /** The updaters of the network weights and of the anchors. */
    public record Updaters(IUpdater network, IUpdater anchors) {
        /**
         * Adam at the config's rates; SGD with rate 0 for FIXED anchors. Not NoOp: DL4J's NoOp leaves the
         * gradient untouched and the optimizer still subtracts it (plain SGD at rate 1).
         */
        public static Updaters of(DetectorConfig config) {
            IUpdater anchors = config.anchorMode() == DetectorConfig.AnchorMode.FIXED
                    ? new Sgd(0.0) : new Adam(config.anchorLearningRate());
            return new Updaters(new Adam(config.networkLearningRate()), anchors);
        }

        /** The raw gradient, untransformed: what DL4J's GradientCheckUtil requires (NOT a freeze). */
        public static Updaters none() {
            return new Updaters(new NoOp(), new NoOp());
        }
    }

    /** The initialised graph with Adam updaters from the config. */
    public static ComputationGraph build(DetectorConfig config, AnchorSet anchors) {
        return build(config, anchors, Updaters.of(config));
    }

    /**
     * The initialised graph with the given updaters. The {@code t_w, t_h} outputs start small with or without
     * BN, so that every configuration's first boxes are its anchors (within ~10-15%): with BN the {@code bn_wh}
     * scale starts at {@link #WH_GAMMA_INIT}; without it {@code head_wh}'s Xavier weights are multiplied by
     * {@link #WH_GAMMA_INIT}. Unscaled, Xavier gave the raw outputs an rms of 1.32-1.37 over a batch (max |t|
     * 6, a box e^6 times its anchor; measured on synthetic:heads at 128 px and VOC at 96 px), the same handicap
     * gamma = 1 was for BN, which every configuration without BN (the paper's baselines) then carried.
     */
    public static ComputationGraph build(DetectorConfig config, AnchorSet anchors, Updaters updaters) {
        ComputationGraph net = new ComputationGraph(configuration(config, anchors, updaters));
        net.init();
        if (config.bnWithoutShift()) {
            net.getLayer(BN_WH).getParam("gamma").assign(WH_GAMMA_INIT);
        } else {
            net.getLayer(HEAD_WH).getParam("W").muli(WH_GAMMA_INIT);
        }
        return net;
    }

    /** The graph configuration (JSON-serialisable). */
    public static ComputationGraphConfiguration configuration(DetectorConfig config, AnchorSet anchors, Updaters updaters) {
        if (anchors.size() != config.numAnchors()) {
            throw new IllegalArgumentException("config has numAnchors=" + config.numAnchors() + " but "
                    + anchors.size() + " anchors were given");
        }
        if (anchors.inputWidth() != config.inputSize() || anchors.inputHeight() != config.inputSize()) {
            throw new IllegalArgumentException("anchors are declared for a " + anchors.inputWidth() + "x"
                    + anchors.inputHeight() + " input but config inputSize is " + config.inputSize());
        }
        int a = config.numAnchors();
        DataType dt = dataType(config);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(dt)
                .updater(updaters.network())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(config.inputSize(), config.inputSize(), 3));
        String prev = INPUT;
        List<Integer> channels = config.backboneChannels();
        for (int i = 0; i < channels.size(); i++) {
            g.addLayer("conv" + i, new ConvolutionLayer.Builder(3, 3).nOut(channels.get(i)).hasBias(false)
                    .activation(Activation.IDENTITY).build(), prev);
            g.addLayer("bn" + i, new BatchNormalization.Builder().activation(new ActivationLReLU(LEAKY_SLOPE)).build(),
                    "conv" + i);
            prev = "bn" + i;
            if (i < channels.size() - 1) {
                g.addLayer("pool" + i, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), prev);
                prev = "pool" + i;
            }
        }
        g.addLayer(HEAD_MAIN, new ConvolutionLayer.Builder(1, 1).nOut((long) a * (3 + config.numClasses()))
                .weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY).build(), prev);
        g.addLayer(HEAD_WH, new ConvolutionLayer.Builder(1, 1).nOut(2L * a).hasBias(false)
                .weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY).build(), prev);
        String wh = HEAD_WH;
        if (config.bnWithoutShift()) {
            g.addLayer(BN_WH, new BatchNormalization.Builder().activation(Activation.IDENTITY)
                    .constrainAllParameters(new ZeroShiftConstraint("beta")).build(), HEAD_WH);
            wh = BN_WH;
        }
        g.addVertex(MERGE, new MergeVertex(), HEAD_MAIN, wh);
        double logStride = Math.log(config.stride());
        double[] sw = anchors.logWidths();
        double[] sh = anchors.logHeights();
        for (int k = 0; k < a; k++) {
            sw[k] -= logStride;
            sh[k] -= logStride;
        }
        g.addLayer(OUTPUT, new AnchorYoloOutputLayer(config, sw, sh, updaters.anchors()), MERGE);
        g.setOutputs(OUTPUT);
        return g.build();
    }

    public static DataType dataType(DetectorConfig config) {
        return config.precision() == DetectorConfig.Precision.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** The current anchors in input pixels of {@code config.inputSize()}. */
    public static AnchorSet anchors(ComputationGraph net, DetectorConfig config) {
        Layer yolo = net.getLayer(OUTPUT);
        double[] sw = yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector();
        double[] sh = yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_H).toDoubleVector();
        double logStride = Math.log(config.stride());
        List<Shape> shapes = new ArrayList<>();
        for (int k = 0; k < sw.length; k++) {
            shapes.add(Shape.ofLog(sw[k] + logStride, sh[k] + logStride));
        }
        return AnchorSet.of(shapes, config.inputSize());
    }

    /**
     * Overwrites the anchors in place (the parameter views of the output layer). Updater state is left as
     * it is.
     */
    public static void setAnchors(ComputationGraph net, DetectorConfig config, AnchorSet anchors) {
        if (anchors.size() != config.numAnchors()) {
            throw new IllegalArgumentException("expected " + config.numAnchors() + " anchors, got " + anchors.size());
        }
        AnchorSet a = anchors.rescaleTo(config.inputSize(), config.inputSize());
        double logStride = Math.log(config.stride());
        double[] sw = a.logWidths();
        double[] sh = a.logHeights();
        for (int k = 0; k < sw.length; k++) {
            sw[k] -= logStride;
            sh[k] -= logStride;
        }
        Layer yolo = net.getLayer(OUTPUT);
        INDArray pw = yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_W);
        INDArray ph = yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_H);
        pw.assign(Nd4j.createFromArray(sw).castTo(pw.dataType()).reshape(pw.shape()));
        ph.assign(Nd4j.createFromArray(sh).castTo(ph.dataType()).reshape(ph.shape()));
    }
}
