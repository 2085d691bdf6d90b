package dev.abo.detector.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.abo.core.detect.Detection;
import dev.abo.core.detect.DetectionCandidates;
import dev.abo.core.detect.Nms;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.BoxCodec;
import dev.abo.detector.AnchorYoloOutputLayer;
import dev.abo.detector.ClassSoftmax;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The detector's raw head output decoded in plain Java: the same arithmetic as the output layer's decoded
 * activations followed by {@link Predictor#decode}, straight from the raw head output into candidate boxes
 * (without the decoded tensor; when the output layer was a SameDiff graph, until 2026-11, running it cost about
 * 2-8 ms per call at batch 1, more than the rest of the decode and NMS together).
 *
 * <p>Input: the {@code merge} vertex, {@code [B, A(3+C) + 2A, S, S]}, per anchor {@code k} the channels
 * {@code k(3+C) + (tx, ty, to, class logits...)} and then {@code A(3+C) + 2k + (tw, th)}
 * ({@link AnchorYoloOutputLayer}). Per anchor and cell {@code (x, y)}, in grid units
 * {@code bx = x + sigma(tx)}, {@code by = y + sigma(ty)}, {@code bw = exp(tw + sw)}, {@code bh = exp(th + sh)}
 * with the log-anchors {@code sw, sh} of the model; objectness {@code sigma(to)}; class probabilities the
 * softmax of the logits (1 for a single class). Boxes are scaled by the stride to input pixels and clipped
 * to the input, empty ones dropped; candidates in anchor-major then row-major cell order (which breaks
 * score ties in NMS), scored {@code objectness x P(class)}, then the given {@link Nms}.
 */
public final class HeadOutputDecoder {
    private final int numAnchors;
    private final int numClasses;
    private final int gridSize;
    private final double stride;
    private final double inputSize;
    private final double[] logW;
    private final double[] logH;

    /**
     * @param logW the log anchor widths in grid units ({@code sw}), one per anchor
     * @param logH the log anchor heights in grid units ({@code sh})
     */
    public HeadOutputDecoder(DetectorConfig config, double[] logW, double[] logH) {
        if (logW.length != config.numAnchors() || logH.length != config.numAnchors()) {
            throw new IllegalArgumentException("expected " + config.numAnchors() + " log-anchors, got " + logW.length
                    + " widths and " + logH.length + " heights");
        }
        this.numAnchors = config.numAnchors();
        this.numClasses = config.numClasses();
        this.gridSize = config.gridSize();
        this.stride = config.stride();
        this.inputSize = config.inputSize();
        this.logW = logW.clone();
        this.logH = logH.clone();
    }

    /** The decoder of {@code net}'s current anchors (its output layer's {@code sw, sh} parameters, read once). */
    public static HeadOutputDecoder of(ComputationGraph net, DetectorConfig config) {
        Layer yolo = net.getLayer(DetectorGraph.OUTPUT);
        return new HeadOutputDecoder(config, yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector(),
                yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_H).toDoubleVector());
    }

    /** Channels of the raw head output: {@code A(3+C) + 2A}. */
    public int channels() {
        return numAnchors * (3 + numClasses) + 2 * numAnchors;
    }

    /** Detections per image of the raw head output {@code [B, A(3+C) + 2A, S, S]}, in input pixels, sorted by score. */
    public List<List<Detection>> decode(INDArray raw, Nms nms) {
        long[] shape = raw.shape();
        if (shape.length != 4 || shape[1] != channels() || shape[2] != gridSize || shape[3] != gridSize) {
            throw new IllegalArgumentException("expected the raw head output [B, " + channels() + ", " + gridSize + ", "
                    + gridSize + "], got " + Arrays.toString(shape));
        }
        double[] flat = raw.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int perImage = channels() * gridSize * gridSize;
        List<List<Detection>> out = new ArrayList<>((int) shape[0]);
        for (int i = 0; i < shape[0]; i++) {
            out.add(decode(flat, i * perImage, nms));
        }
        return out;
    }

    /** Detections of one image whose raw output starts at {@code offset} of {@code flat} (C order). */
    List<Detection> decode(double[] flat, int offset, Nms nms) {
        int a = numAnchors;
        int c = numClasses;
        int s = gridSize;
        int plane = s * s;
        int whBase = offset + a * (3 + c) * plane;
        List<Box> boxes = new ArrayList<>(a * plane);
        double[] objectness = new double[a * plane];
        double[][] probs = new double[a * plane][];
        int n = 0;
        for (int k = 0; k < a; k++) {
            int base = offset + k * (3 + c) * plane;
            int wh = whBase + 2 * k * plane;
            for (int cell = 0; cell < plane; cell++) {
                int x = cell % s;
                int y = cell / s;
                double bx = x + BoxCodec.sigmoid(flat[base + cell]);
                double by = y + BoxCodec.sigmoid(flat[base + plane + cell]);
                double bw = Math.exp(flat[wh + cell] + logW[k]);
                double bh = Math.exp(flat[wh + plane + cell] + logH[k]);
                Box box = Box.ofCenter(bx * stride, by * stride, bw * stride, bh * stride).clip(inputSize, inputSize);
                if (!(box.area() > 0)) {
                    continue;
                }
                boxes.add(box);
                objectness[n] = BoxCodec.sigmoid(flat[base + 2 * plane + cell]);
                probs[n] = classProbabilities(flat, base + 3 * plane + cell, plane, c);
                n++;
            }
        }
        List<Detection> candidates = DetectionCandidates.fromAnchors(boxes, Arrays.copyOf(objectness, n),
                Arrays.copyOf(probs, n), nms.minScore());
        return nms.apply(candidates);
    }

    /** Softmax of the {@code c} logits at {@code first, first + plane, ...}; {@code {1}} for one class. */
    private static double[] classProbabilities(double[] flat, int first, int plane, int c) {
        double[] p = new double[c];
        ClassSoftmax.probabilities(flat, first, plane, c, p, 0, 1);
        return p;
    }
}
