package dev.abo.detector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Variant (c) is DL4J's own YOLOv2 layer on exactly the backbone and priors of variant (b). */
class Yolo2BaselineTest {
    /** 32 px, 3 blocks 4-8-8 (stride 4, grid 8), A = 2, C = 2. */
    private static final DetectorConfig CONFIG = DetectorConfig.defaults(32, 2).withBackbone(List.of(4, 8, 8))
            .withAnchors(2, DetectorConfig.AnchorMode.FIXED);
    /** A wide and a tall anchor in pixels of the 32 px input. */
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(8, 4), new Shape(4, 12)), 32);

    private static Layer layer(ComputationGraphConfiguration conf, String vertex) {
        return ((LayerVertex) conf.getVertices().get(vertex)).getLayerConf().getLayer();
    }

    @Test
    void outputIsDl4jsYolo2LayerWithThePriorsInGridUnits() {
        ComputationGraph net = Yolo2Baseline.build(CONFIG, ANCHORS);

        assertThat(net.getOutputLayer(0)).isInstanceOf(org.deeplearning4j.nn.layers.objdetect.Yolo2OutputLayer.class);
        org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer conf =
                (org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer) layer(net.getConfiguration(), Yolo2Baseline.OUTPUT);
        // (8, 4) px and (4, 12) px at stride 4 -> (2, 1) and (1, 3) grid cells
        assertThat(conf.getBoundingBoxes().toDoubleMatrix()).isEqualTo(new double[][] {{2, 1}, {1, 3}});
        assertThat(conf.getLambdaCoord()).isEqualTo(CONFIG.lambdaCoord());
        assertThat(conf.getLambdaNoObj()).isEqualTo(CONFIG.lambdaNoObj());
        // the head: one conv1x1 with A(5 + C) = 2 * 7 channels on the backbone's last vertex, nothing else
        ConvolutionLayer head = (ConvolutionLayer) layer(net.getConfiguration(), Yolo2Baseline.HEAD);
        assertThat(head.getNOut()).isEqualTo(14);
        assertThat(head.getKernelSize()).containsExactly(1, 1);
        assertThat(net.getConfiguration().getVertexInputs().get(Yolo2Baseline.HEAD)).containsExactly("bn2");
        assertThat(net.getConfiguration().getVertices()).doesNotContainKeys(DetectorGraph.BN_WH, DetectorGraph.HEAD_WH,
                DetectorGraph.MERGE, DetectorGraph.OUTPUT);
    }

    @Test
    void backboneLayersAndWeightsAreThoseOfTheFixedAnchorDetector() {
        ComputationGraph fixed = DetectorGraph.build(CONFIG, ANCHORS);
        ComputationGraph yolo2 = Yolo2Baseline.build(CONFIG, ANCHORS);
        List<String> backbone = Yolo2Baseline.backboneVertices(fixed.getConfiguration());
        assertThat(backbone).containsExactly("conv0", "bn0", "pool0", "conv1", "bn1", "pool1", "conv2", "bn2");
        for (String v : backbone) {
            assertThat(layer(yolo2.getConfiguration(), v)).as(v).isEqualTo(layer(fixed.getConfiguration(), v));
            assertThat(yolo2.getConfiguration().getVertexInputs().get(v))
                    .isEqualTo(fixed.getConfiguration().getVertexInputs().get(v));
        }

        Yolo2Baseline.copyBackbone(fixed, yolo2);

        for (String v : backbone) {
            for (var p : fixed.getLayer(v).paramTable().entrySet()) {
                assertThat(yolo2.getLayer(v).getParam(p.getKey())).as(v + "_" + p.getKey()).isEqualTo(p.getValue());
            }
        }
        // so both see the very same features of the same image
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 32, 32);
        assertThat(yolo2.feedForward(x, false).get("bn2")).isEqualTo(fixed.feedForward(x, false).get("bn2"));
    }
}
