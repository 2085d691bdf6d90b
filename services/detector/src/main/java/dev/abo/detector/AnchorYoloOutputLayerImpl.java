package dev.abo.detector;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.abo.core.geometry.BoxCodec;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J layer {@link AnchorYoloOutputLayer} instantiates: copies the head output and labels into Java arrays,
 * runs {@link AnchorYoloLoss} and writes the results back into DL4J's workspaces. {@code activate} decodes the
 * boxes, {@code computeScore} is the loss divided by B, {@code backpropGradient} returns dL/d(input) and writes
 * dL/d(sw, sh) into the network's gradient view (all un-averaged: DL4J's updater divides by B).
 */
public class AnchorYoloOutputLayerImpl extends AbstractLayer<AnchorYoloOutputLayer> implements IOutputLayer {
    private INDArray labels;
    private INDArray params;
    private INDArray gradientsView;
    private Map<String, INDArray> paramTable;
    private Map<String, INDArray> gradientTable;
    private double score;

    public AnchorYoloOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private AnchorYoloLoss loss() {
        return layerConf().loss();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        AnchorYoloOutputLayer c = layerConf();
        int a = c.getNumAnchors();
        int k = c.getNumClasses();
        int s = c.getGridSize();
        int plane = s * s;
        int batch = (int) input.size(0);
        checkInput();
        double[] in = flat(input);
        double[] logW = getParam(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector();
        double[] logH = getParam(AnchorYoloOutputLayer.PARAM_LOG_H).toDoubleVector();
        int cin = a * (3 + k) + 2 * a;
        int cout = a * (5 + k);
        double[] out = new double[batch * cout * plane];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < a; i++) {
                int kb = (b * cin + i * (3 + k)) * plane;
                int wb = (b * cin + a * (3 + k) + 2 * i) * plane;
                int ob = (b * cout + i * (5 + k)) * plane;
                for (int cell = 0; cell < plane; cell++) {
                    out[ob + cell] = cell % s + BoxCodec.sigmoid(in[kb + cell]);
                    out[ob + plane + cell] = cell / s + BoxCodec.sigmoid(in[kb + plane + cell]);
                    out[ob + 2 * plane + cell] = Math.exp(in[wb + cell] + logW[i]);
                    out[ob + 3 * plane + cell] = Math.exp(in[wb + plane + cell] + logH[i]);
                    out[ob + 4 * plane + cell] = BoxCodec.sigmoid(in[kb + 2 * plane + cell]);
                    ClassSoftmax.probabilities(in, kb + 3 * plane + cell, plane, k, out, ob + 5 * plane + cell, plane);
                }
            }
        }
        return toWorkspace(out, ArrayType.ACTIVATIONS, workspaceMgr, new long[] {batch, cout, s, s});
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        AnchorYoloLoss.Evaluation e = evaluate(true);
        score = e.total() / input.size(0);
        INDArray gw = gradientTable.get(AnchorYoloOutputLayer.PARAM_LOG_W);
        INDArray gh = gradientTable.get(AnchorYoloOutputLayer.PARAM_LOG_H);
        for (int k = 0; k < e.dLogW().length; k++) {
            gw.putScalar(0, k, e.dLogW()[k]);
            gh.putScalar(0, k, e.dLogH()[k]);
        }
        Gradient g = new DefaultGradient(gradientsView);
        g.gradientForVariable().put(AnchorYoloOutputLayer.PARAM_LOG_W, gw);
        g.gradientForVariable().put(AnchorYoloOutputLayer.PARAM_LOG_H, gh);
        INDArray dInput = toWorkspace(e.dInput(), ArrayType.ACTIVATION_GRAD, workspaceMgr, input.shape());
        return new Pair<>(g, dInput);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        score = (evaluate(false).total() + fullNetRegTerm) / input.size(0);
        return score;
    }

    /** Per example {@code [B, 1]}: its loss (with its share of the clustering term) plus {@code fullNetRegTerm}. */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        double[] perExample = evaluate(false).perExample();
        for (int b = 0; b < perExample.length; b++) {
            perExample[b] += fullNetRegTerm;
        }
        return toWorkspace(perExample, ArrayType.ACTIVATIONS, workspaceMgr, new long[] {perExample.length, 1});
    }

    private AnchorYoloLoss.Evaluation evaluate(boolean gradients) {
        if (labels == null) {
            throw new IllegalStateException("the labels of " + layerId() + " are not set");
        }
        checkInput();
        AnchorYoloOutputLayer c = layerConf();
        long[] expected = {input.size(0), LabelLayout.planes(c.getNumClasses(), c.getNumAnchors()), c.getGridSize(),
                c.getGridSize()};
        if (!Arrays.equals(labels.shape(), expected)) {
            throw new IllegalArgumentException("expected labels " + Arrays.toString(expected) + " (LabelLayout), got "
                    + Arrays.toString(labels.shape()));
        }
        double[] logW = getParam(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector();
        double[] logH = getParam(AnchorYoloOutputLayer.PARAM_LOG_H).toDoubleVector();
        int batch = (int) input.size(0);
        AnchorYoloLoss loss = loss();
        return gradients ? loss.lossAndGradients(flat(input), flat(labels), batch, logW, logH)
                : loss.loss(flat(input), flat(labels), batch, logW, logH);
    }

    private void checkInput() {
        AnchorYoloOutputLayer c = layerConf();
        long cin = (long) c.getNumAnchors() * (3 + c.getNumClasses()) + 2L * c.getNumAnchors();
        long[] shape = input.shape();
        if (shape.length != 4 || shape[1] != cin || shape[2] != c.getGridSize() || shape[3] != c.getGridSize()) {
            throw new IllegalArgumentException("expected the head output [B, " + cin + ", " + c.getGridSize() + ", "
                    + c.getGridSize() + "], got " + Arrays.toString(shape));
        }
    }

    /** The values of {@code a} in C order, as doubles. */
    private static double[] flat(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    /** {@code values} (C order) as an array of this layer's type in the workspace of {@code type}. */
    private INDArray toWorkspace(double[] values, ArrayType type, LayerWorkspaceMgr workspaceMgr, long[] shape) {
        INDArray out = workspaceMgr.createUninitialized(type, dataType, shape, 'c');
        out.assign(Nd4j.createFromArray(values).reshape('c', shape));
        return out;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public double score() {
        return score;
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("clone the ComputationGraph instead");
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise
    }

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public long numParams() {
        return params == null ? 0 : params.length();
    }

    @Override
    public INDArray getParam(String param) {
        INDArray p = paramTable.get(param);
        if (p == null) {
            throw new IllegalArgumentException("unknown parameter " + param + " of " + layerId() + ", have " + paramTable.keySet());
        }
        return p;
    }

    /** Copies {@code value} into the parameter (a view of the network's parameters). */
    @Override
    public void setParam(String key, INDArray value) {
        INDArray p = getParam(key);
        if (!Arrays.equals(p.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter " + key + " has shape " + Arrays.toString(p.shape()) + ", got "
                    + Arrays.toString(value.shape()));
        }
        p.assign(value);
    }

    @Override
    public void setParams(INDArray params) {
        if (params != null) {
            this.params.assign(params.reshape(this.params.shape()));
        }
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        this.params = params;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsView;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        this.gradientsView = gradients;
        this.gradientTable = AnchorParamInitializer.INSTANCE.getGradientsFromFlattened(conf, gradients);
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        this.paramTable = paramTable;
    }

    @Override
    public Map<String, INDArray> paramTable() {
        return paramTable(false);
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        return Collections.unmodifiableMap(paramTable);
    }

    @Override
    public Gradient gradient() {
        throw new UnsupportedOperationException("the gradient is returned by backpropGradient");
    }

    @Override
    public double f1Score(DataSet data) {
        throw new UnsupportedOperationException("not a classifier");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("not a classifier");
    }

    @Override
    public int numLabels() {
        return 0;
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw new UnsupportedOperationException("train the ComputationGraph");
    }

    @Override
    public int[] predict(INDArray examples) {
        throw new UnsupportedOperationException("not a classifier");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw new UnsupportedOperationException("not a classifier");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("train the ComputationGraph");
    }

    @Override
    public void fit(DataSet data) {
        throw new UnsupportedOperationException("train the ComputationGraph");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw new UnsupportedOperationException("train the ComputationGraph");
    }
}
