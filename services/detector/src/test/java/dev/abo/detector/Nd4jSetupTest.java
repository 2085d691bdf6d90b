package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The runtime the surefire argLine sets up: oneDNN natives, helpers on (via the shim), 1 OpenMP thread. */
class Nd4jSetupTest {

    private static final DetectorConfig CONFIG = TinyNets.trainingConfig();
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(8, 8), new Shape(24, 24)), 64);

    @Test
    void reportShowsCpuBackendWithOneDnnHelpersAndOneThread() {
        Nd4jSetup.RuntimeReport r = Nd4jSetup.report();
        assertThat(r.backend()).isEqualToIgnoringCase("CPU");
        assertThat(r.helpersEnabled()).isTrue();
        assertThat(r.oneDnnAvailable()).isTrue();
        assertThat(r.ompNumThreadsEnv()).isEqualTo("1");
        assertThat(r.maxThreads()).isEqualTo(1);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void convolutionAndBatchNormRunThroughTheOneDnnHelpers() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
        net.outputSingle(false, Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64));
        assertThat(((ConvolutionLayer) net.getLayer("conv0")).getHelper()).isInstanceOf(MKLDNNConvHelper.class);
        assertThat(((BatchNormalization) net.getLayer("bn0")).getHelper()).isInstanceOf(MKLDNNBatchNormHelper.class);
    }

    @Test
    void withTheHelpersPropertyAtItsDl4jDefaultNoHelperIsCreated() {
        String before = System.getProperty(Nd4jSetup.HELPERS_DISABLE_PROPERTY);
        try {
            System.setProperty(Nd4jSetup.HELPERS_DISABLE_PROPERTY, "true");
            assertThat(Nd4jSetup.helpersEnabled()).isFalse();
            ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
            net.outputSingle(false, Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64));
            assertThat(((ConvolutionLayer) net.getLayer("conv0")).getHelper()).isNull();
            assertThat(Nd4jSetup.report().problems()).anySatisfy(p -> assertThat(p).contains("helpers are disabled"));
        } finally {
            System.setProperty(Nd4jSetup.HELPERS_DISABLE_PROPERTY, before == null ? "true" : before);
        }
    }
}
