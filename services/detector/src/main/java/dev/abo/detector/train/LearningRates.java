package dev.abo.detector.train;

import dev.abo.detector.AnchorYoloOutputLayer;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Sets the network's and the anchors' learning rates of a built graph, every step.
 *
 * <p>Not {@code ComputationGraph.setLearningRate(layer, lr)}: DL4J's {@code NetworkUtils} only changes
 * {@code BaseLayer}s (the anchor layer is not one, so its rate would silently stay) and rebuilds
 * the whole updater on each call. Instead this changes the rate of every updater configuration object in
 * place; DL4J's Adam reads {@code config.getLearningRate(...)} from that same object at every step, and the
 * updater blocks (consecutive parameters with equal updater settings share one block and the first
 * parameter's object) all point at one of them. The anchor parameters ({@code sw, sh} of
 * {@link AnchorYoloOutputLayer}) get {@code anchorLr}; everything else {@code networkLr}. FIXED anchors
 * ({@code Sgd(0)}) are left alone: changing their rate would unfreeze them. Pinned by {@code LearningRatesTest}
 * through Adam's first step, which moves every parameter with a non-zero gradient by exactly the rate.
 */
public final class LearningRates {
    private LearningRates() {
    }

    public static void apply(ComputationGraph net, DetectorConfig config, double networkLr, double anchorLr) {
        for (Layer layer : net.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            boolean anchorLayer = DetectorGraph.OUTPUT.equals(conf.getLayerName());
            for (String param : layer.paramTable().keySet()) {
                boolean anchorParam = anchorLayer && (AnchorYoloOutputLayer.PARAM_LOG_W.equals(param)
                        || AnchorYoloOutputLayer.PARAM_LOG_H.equals(param));
                if (anchorParam && config.anchorMode() == DetectorConfig.AnchorMode.FIXED) {
                    continue;
                }
                IUpdater u = conf.getUpdaterByParam(param);
                if (u != null && u.hasLearningRate()) {
                    u.setLrAndSchedule(anchorParam ? anchorLr : networkLr, null);
                }
            }
        }
    }
}
