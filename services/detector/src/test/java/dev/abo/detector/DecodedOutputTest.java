package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.BoxCodec;
import dev.abo.core.geometry.BoxDelta;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer's activations against core's BoxCodec, and a score that does not depend on an earlier unlabelled
 * call (the SameDiff layer of before 2026-11 froze its labels placeholder at the first call).
 */
class DecodedOutputTest {

    private static final DetectorConfig CONFIG = TinyNets.gradientCheckConfig();
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(6, 3.5), new Shape(3, 7)), 16);

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void decodedBoxesEqualBoxCodecDecodeOfTheRawOutputsAndClassProbabilitiesSumToOne() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS, DetectorGraph.Updaters.none());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16);
        INDArray raw = net.feedForward(new INDArray[] {x}, false).get(DetectorGraph.MERGE);   // [B, A(3+C) + 2A, S, S]
        INDArray dec = net.outputSingle(false, x);                                              // [B, A(5+C), S, S]
        int a = CONFIG.numAnchors();
        int c = CONFIG.numClasses();
        double stride = CONFIG.stride();
        for (int b = 0; b < 2; b++) {
            for (int k = 0; k < a; k++) {
                for (int y = 0; y < CONFIG.gridSize(); y++) {
                    for (int xx = 0; xx < CONFIG.gridSize(); xx++) {
                        BoxDelta t = new BoxDelta(raw.getDouble(b, k * (3 + c), y, xx), raw.getDouble(b, k * (3 + c) + 1, y, xx),
                                raw.getDouble(b, a * (3 + c) + 2 * k, y, xx), raw.getDouble(b, a * (3 + c) + 2 * k + 1, y, xx));
                        Box expect = BoxCodec.decode(t, xx, y, stride, ANCHORS.get(k));
                        int o = k * (5 + c);
                        assertThat(dec.getDouble(b, o, y, xx) * stride).isCloseTo(expect.cx(), within(1e-9));
                        assertThat(dec.getDouble(b, o + 1, y, xx) * stride).isCloseTo(expect.cy(), within(1e-9));
                        assertThat(dec.getDouble(b, o + 2, y, xx) * stride).isCloseTo(expect.width(), within(1e-9));
                        assertThat(dec.getDouble(b, o + 3, y, xx) * stride).isCloseTo(expect.height(), within(1e-9));
                        assertThat(dec.getDouble(b, o + 4, y, xx))
                                .isCloseTo(BoxCodec.sigmoid(raw.getDouble(b, k * (3 + c) + 2, y, xx)), within(1e-12));
                        assertThat(dec.getDouble(b, o + 5, y, xx) + dec.getDouble(b, o + 6, y, xx)).isCloseTo(1, within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void scoreIsTheSameWhetherOrNotOutputWasCalledBeforeTheFirstLabelledPass() {
        INDArray labels = new LabelEncoder(CONFIG).encode(List.of(List.of(LabeledObject.of(new Box(2, 2, 9, 6), 1))),
                new LossSchedule(1, 0.5, 0.5), DataType.DOUBLE).labels();
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 16, 16);
        ComputationGraph outputFirst = DetectorGraph.build(CONFIG, ANCHORS, DetectorGraph.Updaters.none());
        outputFirst.outputSingle(false, x);             // froze the SameDiff layer's labels placeholder at [-1, -1]
        ComputationGraph scoreFirst = DetectorGraph.build(CONFIG, ANCHORS, DetectorGraph.Updaters.none());

        double a = outputFirst.score(new DataSet(x, labels), false);
        double b = scoreFirst.score(new DataSet(x, labels), false);
        assertThat(a).isEqualTo(b);
        assertThat(a).isGreaterThan(0);
    }
}
