package dev.abo.cli.bench;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Scaling;
import dev.abo.core.augment.Stretch;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.DatasetSpec;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.data.SquareResize;
import dev.abo.core.geometry.Shape;
import dev.abo.core.sample.DatasetSampleSource;
import dev.abo.core.sample.HeldOutSplit;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.synth.HeadsScenes;
import dev.abo.core.synth.SceneGenerator;
import dev.abo.core.synth.SyntheticDatasets;
import dev.abo.detector.train.HeldOutEvaluation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One dataset prepared for one seed, shared by every row so that all rows see identical data: the
 * training stream, the fixed held-out set, the training box shapes at the input size and their k-means
 * anchors. Built the way {@code abo train --seed S} builds its data (same augmentation, split, scene
 * offsets and k-means), so each row is reproducible with that command.
 *
 * @param spec       the {@code --dataset} spec
 * @param seed       seed of data order, augmentation, the split and k-means
 * @param classNames the dataset's classes
 * @param train      augmented training samples
 * @param heldOut    the held-out images (VOC: {@link HeldOutSplit}; synthetic: scenes from 1e9 on)
 * @param widths     training box widths, input px (difficult/crowd left out)
 * @param heights    training box heights, input px
 * @param kmeans     IoU k-means anchors of the training boxes
 */
record PaperData(String spec, long seed, List<String> classNames, SampleSource train, HeldOutEvaluation heldOut,
                 double[] widths, double[] heights, AnchorSet kmeans) {

    /** As {@code abo train}: synthetic held-out scenes start here, training uses scenes 0, 1, 2, ... */
    static final long SYNTHETIC_HELDOUT_OFFSET = 1_000_000_000L;
    /** As {@code abo train}: synthetic scenes whose boxes the k-means anchors are fitted to. */
    static final int SYNTHETIC_KMEANS_SCENES = 1000;
    /** As {@code abo train}: k-means restarts. */
    static final int KMEANS_RESTARTS = 3;

    static PaperData prepare(String spec, int inputSize, int numAnchors, double heldOutFraction, int evalImages,
                             long seed) throws IOException {
        AugmentConfig augment = AugmentConfig.yolov2(inputSize, inputSize);
        Stretch stretch = new Stretch(inputSize, inputSize);
        SquareResize resize = new SquareResize(inputSize);
        List<String> classes;
        SampleSource train;
        SampleSource heldOut;
        Dataset boxes;
        if (SyntheticDatasets.isSynthetic(spec)) {
            SceneGenerator scenes = SyntheticDatasets.parse(spec, seed);
            if (HeadsScenes.NAME.equals(spec)) {
                augment = augment.withScaling(Scaling.NONE);          // a still camera (paper Sec. 4.2.3, Brainwash)
            }
            List<LabeledImage> images = new ArrayList<>();
            for (int i = 0; i < SYNTHETIC_KMEANS_SCENES; i++) {
                images.add(resize.apply(scenes.scene(i).labels()));
            }
            classes = scenes.classNames();
            boxes = new Dataset(spec, classes, images);
            train = SyntheticSampleSource.augmented(scenes, new Augmenter(augment), seed, 0);
            heldOut = SyntheticSampleSource.fitted(scenes, stretch, SYNTHETIC_HELDOUT_OFFSET, inputSize, inputSize);
        } else {
            Dataset all = DatasetSpec.parse(spec).read(ReadOptions.lenient()).dataset();
            HeldOutSplit split = HeldOutSplit.of(all, heldOutFraction, seed);
            if (split.train().images().isEmpty() || split.heldOut().images().isEmpty()) {
                throw new IllegalArgumentException("dataset " + spec + " (" + all.images().size() + " images) leaves "
                        + split.train().images().size() + " training and " + split.heldOut().images().size()
                        + " held-out images at held-out fraction " + heldOutFraction + "; both must be non-empty");
            }
            classes = all.classNames();
            boxes = resize.apply(split.train());
            train = DatasetSampleSource.augmented(split.train(), new Augmenter(augment), seed);
            heldOut = DatasetSampleSource.fitted(split.heldOut(), stretch, inputSize, inputSize);
        }
        List<Shape> shapes = fittableShapes(boxes);
        if (shapes.size() < numAnchors) {
            throw new IllegalArgumentException("dataset " + spec + " has " + shapes.size()
                    + " usable training boxes; k-means needs at least " + numAnchors);
        }
        double[] w = shapes.stream().mapToDouble(Shape::w).toArray();
        double[] h = shapes.stream().mapToDouble(Shape::h).toArray();
        AnchorSet kmeans = new AnchorKMeans().fit(w, h, numAnchors, KMEANS_RESTARTS, new SplittableRandom(seed))
                .anchors(inputSize, inputSize);
        return new PaperData(spec, seed, classes, train, HeldOutEvaluation.of(heldOut, evalImages), w, h, kmeans);
    }

    /** Boxes k-means is fitted to: neither VOC-difficult nor COCO crowd (as YOLOv2's label files). */
    private static List<Shape> fittableShapes(Dataset dataset) {
        List<Shape> s = new ArrayList<>();
        for (LabeledImage image : dataset.images()) {
            for (LabeledObject o : image.objects()) {
                if (!o.difficult() && !o.crowd()) {
                    s.add(new Shape(o.box().width(), o.box().height()));
                }
            }
        }
        return s;
    }

    /**
     * The initial anchors of {@code init} at stride {@code stride}, as {@code abo train} makes them:
     * {@code kmeans} from the training boxes; {@code identical} with {@code abo train}'s deterministic 1%
     * spread ({@code exp(0.01 (k - 2))}), without which equal anchors tie in every assignment and could never
     * separate; the other tables exactly.
     */
    AnchorSet initialAnchors(AnchorInit init, int inputSize, int stride) {
        if (init.needsData()) {
            return kmeans;
        }
        AnchorSet fixed = init.anchors(inputSize, inputSize, stride);
        if (init != AnchorInit.IDENTICAL) {
            return fixed;
        }
        List<Shape> spread = new ArrayList<>();
        for (int k = 0; k < fixed.size(); k++) {
            double f = Math.exp(0.01 * (k - 2));
            spread.add(fixed.get(k).scale(f, f));
        }
        return AnchorSet.of(spread, inputSize);
    }
}
