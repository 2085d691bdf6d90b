package dev.abo.detector.predict;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.augment.AffineCrop;
import dev.abo.core.augment.InputFit;
import dev.abo.core.augment.Stretch;
import dev.abo.core.detect.Detection;
import dev.abo.core.detect.DetectionCandidates;
import dev.abo.core.detect.Nms;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.InputEncoder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Detections from the detector network (paper Sec. 4.1): the output layer already decodes every anchor
 * to a box {@code (cx + sigma(tx), cy + sigma(ty), a_w exp(tw), a_h exp(th))} in grid units; this class
 * multiplies by the stride to get input pixels, clips the box to the input, scores each (box, class) as
 * {@code objectness x P(class | object)} and applies class-specific NMS ({@link Nms}: IoU 0.45, top 300,
 * a minimum score, {@link #EVAL_MIN_SCORE} for evaluation or {@link #DISPLAY_MIN_SCORE} for people).
 *
 * <p><b>Threads.</b> {@code ComputationGraph.output} is {@code synchronized} (dl4j-recipes 5.7), so one
 * shared network serialises all callers. A Predictor therefore never runs the network it was given:
 * each calling thread gets its own {@code net.clone()} on first use (a {@link ThreadLocal}), made from
 * a private snapshot taken in the constructor, so any number of threads may call {@link #detect} and
 * {@link #detectInputs} concurrently and later training of the original network does not change the
 * results. Each clone costs one copy of the parameters (about 1 MB at the default backbone) for as
 * long as its thread lives; use a fixed pool of threads (with OMP_NUM_THREADS=1 per process, see
 * {@code Nd4jSetup}), not a thread per request.
 */
public final class Predictor {
    /** Score threshold for evaluation (AP integrates over all scores; the paper keeps the top 300). */
    public static final double EVAL_MIN_SCORE = 0.005;
    /** Score threshold for showing detections to people. */
    public static final double DISPLAY_MIN_SCORE = 0.25;

    private final DetectorConfig config;
    private final Nms nms;
    private final ComputationGraph snapshot;
    private final ThreadLocal<ComputationGraph> perThread;

    /**
     * @param net    the detector (cloned here; the Predictor never touches it again)
     * @param config the configuration it was built with
     * @param nms    the suppression and score threshold
     */
    public Predictor(ComputationGraph net, DetectorConfig config, Nms nms) {
        this.config = config;
        this.nms = nms;
        this.snapshot = net.clone();
        this.perThread = ThreadLocal.withInitial(this::cloneSnapshot);
    }

    /** Class NMS with the paper's IoU 0.45 and top 300, and the given minimum score. */
    public static Predictor withMinScore(ComputationGraph net, DetectorConfig config, double minScore) {
        return new Predictor(net, config, Nms.paper().withMinScore(minScore));
    }

    private synchronized ComputationGraph cloneSnapshot() {
        return snapshot.clone();
    }

    public DetectorConfig config() {
        return config;
    }

    public Nms nms() {
        return nms;
    }

    /**
     * Detections for images already at the network input size, in input pixels; one list per image,
     * each sorted by score descending.
     */
    public List<List<Detection>> detectInputs(List<RgbImage> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        INDArray x = InputEncoder.encode(inputs, config.inputSize(), DetectorGraph.dataType(config));
        INDArray decoded = perThread.get().outputSingle(false, x);
        return decode(decoded, config, nms);
    }

    /** Detections for an image of any size, stretched to the input (as in training), in its own pixels. */
    public List<Detection> detect(RgbImage original) {
        return detect(original, new Stretch(config.inputSize(), config.inputSize()));
    }

    /**
     * Detections for an image of any size fitted to the input by {@code fit} (whose output size must be
     * the network input), mapped back through the fit's exact inverse into the original's pixels.
     */
    public List<Detection> detect(RgbImage original, InputFit fit) {
        AffineCrop crop = fit.crop(original.width(), original.height());
        if (crop.outputWidth() != config.inputSize() || crop.outputHeight() != config.inputSize()) {
            throw new IllegalArgumentException("the fit produces " + crop.outputWidth() + "x" + crop.outputHeight()
                    + " but the network input is " + config.inputSize() + "x" + config.inputSize());
        }
        List<Detection> input = detectInputs(List.of(crop.resample(original))).get(0);
        return toSource(input, crop, original.width(), original.height());
    }

    /**
     * Detections in the crop's output pixels mapped into its source pixels by the crop's exact inverse and
     * clipped to the {@code sourceWidth x sourceHeight} image (a letterbox's padding lies outside it);
     * scores and classes kept, detections that clip to nothing dropped, order kept.
     */
    public static List<Detection> toSource(List<Detection> detections, AffineCrop crop, int sourceWidth, int sourceHeight) {
        List<Detection> out = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            Box box = crop.toSource(d.box()).clip(sourceWidth, sourceHeight);
            if (box.area() > 0) {
                out.add(new Detection(box, d.classId(), d.score()));
            }
        }
        return out;
    }

    /**
     * The detections in a decoded output {@code [B, A(5+C), S, S]} (per anchor k, channels
     * {@code k(5+C) + (bx, by, bw, bh, objectness, class probabilities)}, boxes in grid units): boxes in
     * input pixels clipped to {@code [0, inputSize]^2}, candidates in anchor-major then row-major cell
     * order (which breaks score ties in NMS), then {@code nms}. Boxes that clip to nothing are dropped.
     */
    public static List<List<Detection>> decode(INDArray decoded, DetectorConfig config, Nms nms) {
        int a = config.numAnchors();
        int c = config.numClasses();
        int s = config.gridSize();
        long[] shape = decoded.shape();
        if (shape.length != 4 || shape[1] != (long) a * (5 + c) || shape[2] != s || shape[3] != s) {
            throw new IllegalArgumentException("expected decoded output [B, " + a * (5 + c) + ", " + s + ", " + s
                    + "], got " + java.util.Arrays.toString(shape));
        }
        int b = (int) shape[0];
        double stride = config.stride();
        double size = config.inputSize();
        double[] flat = decoded.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        int plane = s * s;
        int perImage = a * (5 + c) * plane;
        List<List<Detection>> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            List<Box> boxes = new ArrayList<>();
            List<Double> objectness = new ArrayList<>();
            List<double[]> probs = new ArrayList<>();
            for (int k = 0; k < a; k++) {
                int base = i * perImage + k * (5 + c) * plane;
                for (int cell = 0; cell < plane; cell++) {
                    Box box = Box.ofCenter(flat[base + cell] * stride, flat[base + plane + cell] * stride,
                            flat[base + 2 * plane + cell] * stride, flat[base + 3 * plane + cell] * stride).clip(size, size);
                    if (!(box.area() > 0)) {
                        continue;
                    }
                    double[] p = new double[c];
                    for (int j = 0; j < c; j++) {
                        p[j] = flat[base + (5 + j) * plane + cell];
                    }
                    boxes.add(box);
                    objectness.add(flat[base + 4 * plane + cell]);
                    probs.add(p);
                }
            }
            double[] obj = objectness.stream().mapToDouble(Double::doubleValue).toArray();
            List<Detection> candidates = DetectionCandidates.fromAnchors(boxes, obj, probs.toArray(new double[0][]),
                    nms.minScore());
            out.add(nms.apply(candidates));
        }
        return out;
    }
}
