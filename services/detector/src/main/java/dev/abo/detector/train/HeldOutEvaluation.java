package dev.abo.detector.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.eval.VocApMethod;
import dev.abo.core.eval.VocEvalConfig;
import dev.abo.core.eval.VocEvaluator;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.stats.AnchorStatistics;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.predict.Predictor;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A fixed held-out set (the first {@code n} samples of a held-out source, kept in memory) and how a
 * network scores on it: VOC all-point AP at IoU 0.5 of the {@link Predictor}'s detections (score
 * threshold {@link Predictor#EVAL_MIN_SCORE}, class NMS 0.45, top 300), and the anchors' average best
 * shape IoU over the held-out boxes ({@link AnchorStatistics}). Difficult (VOC) and crowd (COCO) boxes are
 * left out of the anchor statistics, and the VOC evaluator ignores them: a detection on one is neither a true
 * nor a false positive, and they are not among the objects recall counts.
 */
public final class HeldOutEvaluation {
    private static final int BATCH = 32;

    private final List<TrainingSample> samples;
    private final Dataset groundTruth;
    private final List<Shape> shapes;

    private HeldOutEvaluation(List<TrainingSample> samples, List<String> classNames) {
        this.samples = List.copyOf(samples);
        List<LabeledImage> images = new ArrayList<>();
        List<Shape> s = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            TrainingSample t = samples.get(i);
            images.add(new LabeledImage(Integer.toString(i), null, t.image().width(), t.image().height(), t.objects()));
            for (LabeledObject o : t.objects()) {
                if (!o.difficult() && !o.crowd()) {
                    s.add(o.box().shape());
                }
            }
        }
        this.groundTruth = new Dataset("heldout", classNames, images);
        this.shapes = List.copyOf(s);
    }

    /** These samples (at the input size, ground truth in input pixels) of classes {@code classNames}. */
    public static HeldOutEvaluation of(List<TrainingSample> samples, List<String> classNames) {
        return new HeldOutEvaluation(samples, classNames);
    }

    /**
     * Samples {@code 0..n-1} of {@code source}; for a finite source at most one epoch (no image twice).
     */
    public static HeldOutEvaluation of(SampleSource source, int n) throws IOException {
        long count = source.epochLength() > 0 ? Math.min(n, source.epochLength()) : n;
        List<TrainingSample> samples = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            samples.add(source.sample(i));
        }
        return new HeldOutEvaluation(samples, source.classNames());
    }

    public int size() {
        return samples.size();
    }

    /** The held-out box shapes (input pixels), difficult and crowd left out. */
    public List<Shape> shapes() {
        return shapes;
    }

    /** Mean best shape IoU of {@code anchors} over the held-out boxes; NaN without boxes. */
    public double anchorIou(AnchorSet anchors) {
        return shapes.isEmpty() ? Double.NaN : AnchorStatistics.of(shapes, anchors).averageBestIou();
    }

    /**
     * VOC all-point mAP at IoU 0.5 of {@code detections} (key: the sample's index in decimal, boxes in input
     * pixels) on these samples; NaN when no class has ground truth that is neither difficult nor crowd.
     */
    public double ap50(Map<String, List<Detection>> detections) {
        return new VocEvaluator(VocEvalConfig.of(VocApMethod.ALL_POINT)).evaluate(groundTruth, detections)
                .meanAp().orElse(Double.NaN);
    }

    /** Evaluates {@code net} (not modified: the Predictor works on a clone) as of {@code step}. */
    public EvalRecord evaluate(ComputationGraph net, DetectorConfig config, long step) {
        long t0 = System.nanoTime();
        Predictor predictor = Predictor.withMinScore(net, config, Predictor.EVAL_MIN_SCORE);
        Map<String, List<Detection>> detections = new HashMap<>();
        int kept = 0;
        for (int from = 0; from < samples.size(); from += BATCH) {
            List<RgbImage> images = new ArrayList<>();
            for (int i = from; i < Math.min(samples.size(), from + BATCH); i++) {
                images.add(samples.get(i).image());
            }
            List<List<Detection>> d = predictor.detectInputs(images);
            for (int i = 0; i < d.size(); i++) {
                detections.put(Integer.toString(from + i), d.get(i));
                kept += d.get(i).size();
            }
        }
        double ap = ap50(detections);
        AnchorSet anchors = DetectorGraph.anchors(net, config);
        return new EvalRecord(step, ap, anchorIou(anchors), samples.size(), kept, AnchorPx.of(anchors),
                (System.nanoTime() - t0) / 1e9);
    }
}
