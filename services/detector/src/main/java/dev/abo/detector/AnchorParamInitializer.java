package dev.abo.detector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of {@link AnchorYoloOutputLayer}: the log-anchors {@code sw} then {@code sh}, each a {@code [1, A]}
 * view of the layer's slice of the network's flattened parameters (and gradients). Declared as bias parameters, as
 * they were in the SameDiff layer this one replaced, so the flattened layout of old checkpoints is the same.
 */
final class AnchorParamInitializer implements ParamInitializer {
    static final AnchorParamInitializer INSTANCE = new AnchorParamInitializer();
    private static final List<String> KEYS = List.of(AnchorYoloOutputLayer.PARAM_LOG_W, AnchorYoloOutputLayer.PARAM_LOG_H);

    private AnchorParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return 2L * ((AnchorYoloOutputLayer) layer).getNumAnchors();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return false;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return KEYS.contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> params = views(conf, paramsView);
        conf.clearVariables();
        for (String key : KEYS) {
            conf.addVariable(key);
        }
        if (initializeParams) {
            ((AnchorYoloOutputLayer) conf.getLayer()).initializeParameters(params);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf, gradientView);
    }

    /** {@code sw, sh} as {@code [1, A]} views of {@code flat} (length 2A, any rank). */
    private static Map<String, INDArray> views(NeuralNetConfiguration conf, INDArray flat) {
        int a = ((AnchorYoloOutputLayer) conf.getLayer()).getNumAnchors();
        if (flat.length() != 2L * a) {
            throw new IllegalArgumentException("expected " + 2 * a + " anchor parameters, got a view of " + flat.length());
        }
        INDArray row = flat.reshape('c', new long[] {flat.length()});
        long[] shape = {1, a};
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(AnchorYoloOutputLayer.PARAM_LOG_W, row.get(NDArrayIndex.interval(0, a)).reshape('c', shape));
        out.put(AnchorYoloOutputLayer.PARAM_LOG_H, row.get(NDArrayIndex.interval(a, 2 * a)).reshape('c', shape));
        return out;
    }
}
