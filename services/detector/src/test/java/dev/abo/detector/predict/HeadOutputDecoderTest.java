package dev.abo.detector.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.detect.Detection;
import dev.abo.core.detect.Nms;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-Java decode against the output layer's decoded activations + {@link Predictor#decode}, and by hand. */
class HeadOutputDecoderTest {

    /** 32 px input, 3 blocks (stride 4, grid 8x8), A = 3, C = 3: an untrained net with many candidates. */
    private static final DetectorConfig MULTI = DetectorConfig.defaults(32, 3).withBackbone(List.of(4, 8, 8))
            .withAnchors(3, DetectorConfig.AnchorMode.LEARNED);
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(6, 8), new Shape(14, 10), new Shape(30, 20)), 32);
    /** Every candidate, no suppression-order surprises: the whole decoded set is compared. */
    private static final Nms ALL = new Nms(Nms.PAPER_IOU_THRESHOLD, 10_000, 0.0);

    /** The raw head output and the layer's decoded activations of ONE forward pass. */
    private record Pass(INDArray raw, INDArray decoded) {
    }

    private static Pass forward(ComputationGraph net, DataType type, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(type, batch, 3, 32, 32);
        Map<String, INDArray> acts = net.feedForward(new INDArray[] {x}, false);
        return new Pass(acts.get(DetectorGraph.MERGE), acts.get(DetectorGraph.OUTPUT));
    }

    @Test
    void doublePrecisionEqualsTheLayerDecodeAndPredictorDecodeOnTheSameRawTensor() {
        for (int classes : new int[] {1, 3}) {
            DetectorConfig config = DetectorConfig.defaults(32, classes).withBackbone(List.of(4, 8, 8))
                    .withAnchors(3, DetectorConfig.AnchorMode.LEARNED).withPrecision(DetectorConfig.Precision.DOUBLE);
            ComputationGraph net = DetectorGraph.build(config, ANCHORS);
            Pass pass = forward(net, DataType.DOUBLE, 2, 7);
            // a NMS with suppression on, as served (IoU 0.45, top 300, a score floor)
            for (Nms nms : List.of(ALL, Nms.paper().withMinScore(0.05))) {
                List<List<Detection>> expected = Predictor.decode(pass.decoded(), config, nms);
                List<List<Detection>> got = HeadOutputDecoder.of(net, config).decode(pass.raw(), nms);

                assertThat(got).hasSameSizeAs(expected);
                for (int b = 0; b < expected.size(); b++) {
                    assertThat(expected.get(b)).isNotEmpty();
                    assertSame(got.get(b), expected.get(b), 1e-9, 1e-12);
                }
            }
        }
    }

    @Test
    void floatPrecisionAgreesWithTheLayerDecodeToFloatRounding() {
        ComputationGraph net = DetectorGraph.build(MULTI, ANCHORS);
        Pass pass = forward(net, DataType.FLOAT, 2, 11);
        // the layer computes in float, the decoder in double from the same float inputs: near-equal scores may
        // sort differently, so both full candidate sets are compared in a canonical order
        Comparator<Detection> canonical = Comparator.comparingInt(Detection::classId)
                .thenComparingDouble(d -> d.box().x1()).thenComparingDouble(d -> d.box().y1());
        Nms noSuppression = new Nms(1.0, 10_000, 0.0);
        List<List<Detection>> expected = Predictor.decode(pass.decoded(), MULTI, noSuppression);
        List<List<Detection>> got = HeadOutputDecoder.of(net, MULTI).decode(pass.raw(), noSuppression);
        for (int b = 0; b < 2; b++) {
            // 3 anchors x 64 cells x 3 classes, minus the few boxes that clip to nothing (none at this init)
            assertThat(expected.get(b)).hasSize(3 * 64 * 3);
            assertSame(got.get(b).stream().sorted(canonical).toList(), expected.get(b).stream().sorted(canonical).toList(),
                    1e-5, 1e-6);
        }
    }

    /** Same detections in the same order: classes equal, boxes (input pixels) and scores within the tolerances. */
    private static void assertSame(List<Detection> got, List<Detection> expected, double boxTol, double scoreTol) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Detection g = got.get(i);
            Detection e = expected.get(i);
            assertThat(g.classId()).as("class of %d", i).isEqualTo(e.classId());
            assertThat(g.score()).as("score of %d", i).isCloseTo(e.score(), within(scoreTol));
            assertThat(g.box().x1()).as("x1 of %d", i).isCloseTo(e.box().x1(), within(boxTol));
            assertThat(g.box().y1()).as("y1 of %d", i).isCloseTo(e.box().y1(), within(boxTol));
            assertThat(g.box().x2()).as("x2 of %d", i).isCloseTo(e.box().x2(), within(boxTol));
            assertThat(g.box().y2()).as("y2 of %d", i).isCloseTo(e.box().y2(), within(boxTol));
        }
    }

    @Test
    void handSetRawValuesDecodeToTheHandDerivedBoxAndScores() {
        // 32 px, 5 blocks (stride 16, grid 2x2), A = 1, C = 2; anchor sw = log 1, sh = log 2 (16 x 32 px)
        DetectorConfig config = DetectorConfig.defaults(32, 2).withBackbone(List.of(4, 4, 4, 4, 4))
                .withAnchors(1, DetectorConfig.AnchorMode.FIXED);
        HeadOutputDecoder decoder = new HeadOutputDecoder(config, new double[] {0}, new double[] {Math.log(2)});
        // channels: tx, ty, to, logit0, logit1, tw, th
        INDArray raw = Nd4j.zeros(DataType.DOUBLE, 1, 7, 2, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                raw.putScalar(new long[] {0, 2, y, x}, -30);           // objectness sigma(-30) ~ 1e-13: below the floor
            }
        }
        // cell (x=1, y=0): sigma(0) = 0.5 -> centre (1.5, 0.5) cells = (24, 8) px; w = exp(log 2 + 0) = 2 cells = 32 px,
        // h = exp(0 + log 2) = 2 cells = 32 px -> (8, -8, 40, 24) clipped to (8, 0, 32, 24);
        // objectness sigma(0) = 0.5, softmax(0, log 3) = (1/4, 3/4) -> scores 0.125 (class 0) and 0.375 (class 1)
        raw.putScalar(new long[] {0, 2, 0, 1}, 0);
        raw.putScalar(new long[] {0, 4, 0, 1}, Math.log(3));
        raw.putScalar(new long[] {0, 5, 0, 1}, Math.log(2));

        List<Detection> d = decoder.decode(raw, Nms.paper().withMinScore(0.01)).get(0);

        assertThat(d).hasSize(2);   // different classes: no suppression between them
        assertThat(d.get(0).classId()).isEqualTo(1);
        assertThat(d.get(0).score()).isCloseTo(0.375, within(1e-15));
        assertThat(d.get(1).classId()).isEqualTo(0);
        assertThat(d.get(1).score()).isCloseTo(0.125, within(1e-15));
        for (Detection x : d) {
            assertThat(x.box().x1()).isCloseTo(8, within(1e-12));
            assertThat(x.box().y1()).isEqualTo(0);
            assertThat(x.box().x2()).isEqualTo(32);
            assertThat(x.box().y2()).isCloseTo(24, within(1e-12));
        }
    }

    @Test
    void aTensorOfTheWrongShapeIsRefused() {
        HeadOutputDecoder decoder = new HeadOutputDecoder(MULTI, new double[3], new double[3]);
        assertThat(decoder.channels()).isEqualTo(3 * 6 + 6);
        assertThatThrownBy(() -> decoder.decode(Nd4j.zeros(DataType.FLOAT, 1, 30, 8, 8), ALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected the raw head output [B, 24, 8, 8], got [1, 30, 8, 8]");
        assertThatThrownBy(() -> new HeadOutputDecoder(MULTI, new double[2], new double[3]))
                .hasMessage("expected 3 log-anchors, got 2 widths and 3 heights");
    }
}
