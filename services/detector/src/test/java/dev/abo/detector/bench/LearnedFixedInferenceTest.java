package dev.abo.detector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.AnchorYoloOutputLayer;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.LabelEncoder;
import dev.abo.detector.LossSchedule;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Variants (a) and (b) are one graph at inference: learnable anchors cost nothing once trained. */
class LearnedFixedInferenceTest {
    private static final DetectorConfig LEARNED = DetectorConfig.defaults(32, 2).withBackbone(List.of(4, 8, 8))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED);
    private static final DetectorConfig FIXED = LEARNED.withAnchors(2, DetectorConfig.AnchorMode.FIXED);
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(8, 4), new Shape(4, 12)), 32);

    @Test
    void identicalWeightsAndAnchorsGiveBitIdenticalOutputs() {
        ComputationGraph a = DetectorGraph.build(LEARNED, ANCHORS);
        ComputationGraph b = DetectorGraph.build(FIXED, ANCHORS);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32);
        // same seed, same layers: the same initial weights
        assertThat(a.params()).isEqualTo(b.params());
        assertThat(a.outputSingle(false, x)).isEqualTo(b.outputSingle(false, x));

        // train (a) two steps with the paper's warm-up: its anchors and weights move, (b) untouched
        List<List<LabeledObject>> objects = List.of(List.of(LabeledObject.of(new Box(2, 3, 14, 9), 0)),
                List.of(LabeledObject.of(new Box(16, 4, 22, 28), 1)), List.of());
        INDArray labels = new LabelEncoder(LEARNED).encode(objects, new LossSchedule(1, 2, 1), DataType.FLOAT).labels();
        a.fit(new DataSet(x, labels));
        a.fit(new DataSet(x, labels));
        double[] sw = a.getLayer(DetectorGraph.OUTPUT).getParam(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector();
        double[] sw0 = b.getLayer(DetectorGraph.OUTPUT).getParam(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector();
        assertThat(sw).isNotEqualTo(sw0);
        assertThat(a.outputSingle(false, x)).isNotEqualTo(b.outputSingle(false, x));

        // copy everything (learned anchors included) into the fixed-anchor graph: the outputs agree exactly
        b.setParams(a.params().dup());
        assertThat(b.outputSingle(false, x)).isEqualTo(a.outputSingle(false, x));
        assertThat(DetectorGraph.anchors(b, FIXED)).isEqualTo(DetectorGraph.anchors(a, LEARNED));
    }
}
