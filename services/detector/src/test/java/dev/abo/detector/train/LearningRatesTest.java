package dev.abo.detector.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.AnchorYoloOutputLayer;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.LabelEncoder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Adam's first step moves every parameter with a non-zero gradient by the learning rate
 * ({@code lr sqrt(1 - b2) / (1 - b1) * (1 - b1) g / (sqrt(1 - b2) |g| + eps) = lr sign(g)} up to eps), so the
 * largest parameter change of a layer after one fit IS the rate that layer used.
 */
class LearningRatesTest {
    private static final DetectorConfig CONFIG = DetectorConfig.defaults(32, 1).withBackbone(List.of(8, 16, 16, 32))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED).withLearningRates(1e-3, 2e-2);
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(7, 9), new Shape(15, 13)), 32);

    private static double[] param(ComputationGraph net, String layer, String name) {
        return net.getLayer(layer).getParam(name).dup().ravel().toDoubleVector();
    }

    private static double maxChange(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static void fitOnce(ComputationGraph net, DetectorConfig config) {
        TrainingConfig tc = new TrainingConfig(config, 1, 8, 0, 0, 1, 1, 3, LearningRatePolicy.CONSTANT);
        try {
            PreparedBatch b = BatchPrefetcher.prepare(new SquareSource(32, 6, 14, 5), tc, new LabelEncoder(config),
                    DataType.FLOAT, 0);
            net.fit(new DataSet(b.input(), b.labels()));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void networkAndAnchorRatesSetAfterBuildAreTheOnesAdamUses() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
        double[] sw = param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W);
        double[] head = param(net, DetectorGraph.HEAD_MAIN, "W");
        double[] conv = param(net, "conv0", "W");

        LearningRates.apply(net, CONFIG, 0.0037, 0.0123);
        fitOnce(net, CONFIG);

        assertThat(maxChange(sw, param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W))).isCloseTo(0.0123, within(1e-6));
        assertThat(maxChange(head, param(net, DetectorGraph.HEAD_MAIN, "W"))).isCloseTo(0.0037, within(1e-6));
        assertThat(maxChange(conv, param(net, "conv0", "W"))).isCloseTo(0.0037, within(1e-6));
    }

    /**
     * The updater exists only after the first fit: a rate set later (every step of a schedule, and every
     * step of a resumed network) must reach it too, not just the rate in force when it was created.
     */
    @Test
    void ratesChangedAfterTheUpdaterExistsAreTheOnesAdamUses() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
        LearningRates.apply(net, CONFIG, 1e-3, 2e-2);
        fitOnce(net, CONFIG);                                   // creates the updater at 1e-3 / 2e-2
        double[] sw = param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W);
        double[] conv = param(net, "conv0", "W");

        LearningRates.apply(net, CONFIG, 0, 0);
        fitOnce(net, CONFIG);

        assertThat(maxChange(sw, param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W))).isLessThan(1e-6);
        assertThat(maxChange(conv, param(net, "conv0", "W"))).isLessThan(1e-6);

        // and up again: the same batch gives nearly the same gradient, and bias-corrected Adam then moves by about lr
        LearningRates.apply(net, CONFIG, 0.0037, 0.0123);
        fitOnce(net, CONFIG);
        double anchorStep = maxChange(sw, param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W));
        assertThat(anchorStep).isBetween(0.5 * 0.0123, 1.5 * 0.0123);
    }

    /**
     * Rate 0 stops training up to float noise: measured changes of at most 6e-8 (one or two float ulps;
     * Adam at rate 0 is not an exact no-op here, unlike Sgd(0), see {@link #fixedAnchorsKeepTheirZeroRate}),
     * against 2e-2 / 1e-3 per step at the built-in rates.
     */
    @Test
    void zeroRatesFreezeEverythingTheUpdaterMoves() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
        double[] sw = param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W);
        double[] head = param(net, DetectorGraph.HEAD_MAIN, "W");

        LearningRates.apply(net, CONFIG, 0, 0);
        fitOnce(net, CONFIG);

        assertThat(maxChange(sw, param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W))).isLessThan(1e-6);
        assertThat(maxChange(head, param(net, DetectorGraph.HEAD_MAIN, "W"))).isLessThan(1e-6);
    }

    @Test
    void fixedAnchorsKeepTheirZeroRate() {
        DetectorConfig fixed = CONFIG.withAnchors(2, DetectorConfig.AnchorMode.FIXED);
        ComputationGraph net = DetectorGraph.build(fixed, ANCHORS);
        double[] sw = param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W);

        LearningRates.apply(net, fixed, 0.0037, 0.0123);
        fitOnce(net, fixed);

        assertThat(param(net, DetectorGraph.OUTPUT, AnchorYoloOutputLayer.PARAM_LOG_W)).isEqualTo(sw);
    }
}
