package dev.abo.detector.predict;

import java.util.List;
import java.util.Map;

import dev.abo.core.augment.AffineCrop;
import dev.abo.core.augment.InputFit;
import dev.abo.core.augment.Stretch;
import dev.abo.core.detect.Detection;
import dev.abo.core.detect.Nms;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.InputEncoder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The detections of {@link Predictor}, computed for serving: the network runs only up to its heads (a copy
 * without the output layer, which exists for the loss and would build the whole decoded tensor) and the head
 * output is decoded by {@link HeadOutputDecoder} in plain Java straight into candidate boxes, with the anchors
 * the model held when this was built. Each call
 * names its {@link Nms}, so a request's score threshold and limit are applied inside the suppression.
 *
 * <p><b>Threads.</b> Like {@link Predictor}: each calling thread runs its own clone of a private snapshot
 * (made on first use and kept for the thread's life), so any number of threads may call concurrently; use a
 * fixed pool of threads.
 */
public final class ServingPredictor {
    private final DetectorConfig config;
    private final HeadOutputDecoder decoder;
    private final ComputationGraph heads;
    private final ThreadLocal<ComputationGraph> perThread;

    /**
     * @param net    the detector (copied here; later changes to it do not reach this predictor)
     * @param config the configuration it was built with
     */
    public ServingPredictor(ComputationGraph net, DetectorConfig config) {
        this.config = config;
        this.decoder = HeadOutputDecoder.of(net, config);
        this.heads = headsOnly(net);
        this.perThread = ThreadLocal.withInitial(this::cloneHeads);
    }

    /**
     * A copy of {@code net} without its output layer: the output is the {@code merge} vertex, the raw head
     * output. DL4J M2.1's TransferLearning builds a FLOAT graph whatever the source's type (a DOUBLE net
     * came out rounded to float), so the copy is converted back and every parameter copied by name.
     */
    static ComputationGraph headsOnly(ComputationGraph net) {
        ComputationGraph heads = new TransferLearning.GraphBuilder(net)
                .removeVertexAndConnections(DetectorGraph.OUTPUT)
                .setOutputs(DetectorGraph.MERGE)
                .build();
        DataType type = net.params().dataType();
        if (heads.params().dataType() != type) {
            heads = heads.convertDataType(type);
        }
        Map<String, INDArray> source = net.paramTable();
        for (Map.Entry<String, INDArray> p : heads.paramTable().entrySet()) {
            p.getValue().assign(source.get(p.getKey()));
        }
        return heads;
    }

    private synchronized ComputationGraph cloneHeads() {
        return heads.clone();
    }

    public DetectorConfig config() {
        return config;
    }

    /** The raw head output {@code [B, A(3+C) + 2A, S, S]} of images already at the input size. */
    public INDArray headOutput(List<RgbImage> inputs) {
        INDArray x = InputEncoder.encode(inputs, config.inputSize(), DetectorGraph.dataType(config));
        return perThread.get().outputSingle(false, x);
    }

    /** Detections for images already at the network input size, in input pixels; one list per image, by score. */
    public List<List<Detection>> detectInputs(List<RgbImage> inputs, Nms nms) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        return decoder.decode(headOutput(inputs), nms);
    }

    /** Detections for an image of any size, stretched to the input (as in training), in its own pixels. */
    public List<Detection> detect(RgbImage original, Nms nms) {
        return detect(original, new Stretch(config.inputSize(), config.inputSize()), nms);
    }

    /** Detections for an image of any size fitted by {@code fit}, mapped back into its pixels ({@link Predictor#detect(RgbImage, InputFit)}). */
    public List<Detection> detect(RgbImage original, InputFit fit, Nms nms) {
        AffineCrop crop = fit.crop(original.width(), original.height());
        if (crop.outputWidth() != config.inputSize() || crop.outputHeight() != config.inputSize()) {
            throw new IllegalArgumentException("the fit produces " + crop.outputWidth() + "x" + crop.outputHeight()
                    + " but the network input is " + config.inputSize() + "x" + config.inputSize());
        }
        List<Detection> input = detectInputs(List.of(crop.resample(original)), nms).get(0);
        return Predictor.toSource(input, crop, original.width(), original.height());
    }
}
