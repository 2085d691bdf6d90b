package dev.abo.detector.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Variant (c) of the training benchmark: the detector's own backbone (the very layer configurations
 * {@link DetectorGraph} builds, cloned vertex by vertex) under DL4J's stock YOLOv2 loss:
 * <pre>
 *   input -> (backbone of DetectorGraph) -> head: conv1x1, A(5+C) channels (tx, ty, tw, th, to, class logits
 *   per anchor), with bias -> yolo2: org.deeplearning4j...objdetect.Yolo2OutputLayer(fixed priors)
 * </pre>
 * No BN-without-shift branch and no anchor parameters: the priors are a constant {@code [A, 2]} array
 * of widths and heights in grid units. Labels: {@link Yolo2Labels}.
 */
public final class Yolo2Baseline {
    public static final String HEAD = "head";
    public static final String OUTPUT = "yolo2";

    private Yolo2Baseline() {
    }

    /** The initialised graph (own random weights: {@link #copyBackbone} makes the backbone start where another's does). */
    public static ComputationGraph build(DetectorConfig config, AnchorSet anchors) {
        ComputationGraph net = new ComputationGraph(configuration(config, anchors));
        net.init();
        return net;
    }

    public static ComputationGraphConfiguration configuration(DetectorConfig config, AnchorSet anchors) {
        ComputationGraphConfiguration detector = DetectorGraph.configuration(config, anchors,
                DetectorGraph.Updaters.of(config));
        String feature = featureVertex(detector);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DetectorGraph.dataType(config))
                .updater(new Adam(config.networkLearningRate()))
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(DetectorGraph.INPUT)
                .setInputTypes(InputType.convolutional(config.inputSize(), config.inputSize(), 3));
        for (String name : backboneVertices(detector)) {
            Layer layer = ((LayerVertex) detector.getVertices().get(name)).getLayerConf().getLayer().clone();
            g.addLayer(name, layer, detector.getVertexInputs().get(name).toArray(new String[0]));
        }
        int a = config.numAnchors();
        g.addLayer(HEAD, new ConvolutionLayer.Builder(1, 1).nOut((long) a * (5 + config.numClasses()))
                .weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY).build(), feature);
        g.addLayer(OUTPUT, new Yolo2OutputLayer.Builder()
                .boundingBoxPriors(priors(config, anchors))
                .lambdaCoord(config.lambdaCoord())
                .lambdaNoObj(config.lambdaNoObj())
                .build(), HEAD);
        g.setOutputs(OUTPUT);
        return g.build();
    }

    /** DL4J's bounding-box priors: {@code [A, 2]}, per anchor (width, height) in grid units (pixels / stride). */
    public static INDArray priors(DetectorConfig config, AnchorSet anchors) {
        AnchorSet a = anchors.rescaleTo(config.inputSize(), config.inputSize());
        double[][] p = new double[a.size()][];
        for (int k = 0; k < a.size(); k++) {
            p[k] = new double[] {a.get(k).w() / config.stride(), a.get(k).h() / config.stride()};
        }
        return Nd4j.createFromArray(p).castTo(DetectorGraph.dataType(config));
    }

    /** The vertex whose output both detector heads read: the last backbone vertex. */
    public static String featureVertex(ComputationGraphConfiguration detector) {
        List<String> in = detector.getVertexInputs().get(DetectorGraph.HEAD_MAIN);
        if (in == null || in.size() != 1) {
            throw new IllegalArgumentException("not a DetectorGraph configuration: " + DetectorGraph.HEAD_MAIN
                    + " inputs are " + in);
        }
        return in.get(0);
    }

    /** The backbone's layer vertices (everything upstream of the heads, inputs excluded), in topological order. */
    public static List<String> backboneVertices(ComputationGraphConfiguration detector) {
        Set<String> order = new LinkedHashSet<>();
        visit(featureVertex(detector), detector.getVertexInputs(), detector.getNetworkInputs(), order);
        return new ArrayList<>(order);
    }

    private static void visit(String v, Map<String, List<String>> inputs, List<String> networkInputs, Set<String> out) {
        if (networkInputs.contains(v) || out.contains(v)) {
            return;
        }
        for (String in : inputs.get(v)) {
            visit(in, inputs, networkInputs, out);
        }
        out.add(v);
    }

    /**
     * Copies every parameter (BN running statistics included) of the backbone vertices from {@code from}, a
     * {@link DetectorGraph} network, to {@code to}, a network of {@link #configuration} for the same config.
     */
    public static void copyBackbone(ComputationGraph from, ComputationGraph to) {
        for (String name : backboneVertices(from.getConfiguration())) {
            for (Map.Entry<String, INDArray> p : from.getLayer(name).paramTable().entrySet()) {
                to.getLayer(name).getParam(p.getKey()).assign(p.getValue());
            }
        }
    }
}
