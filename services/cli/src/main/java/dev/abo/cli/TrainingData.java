package dev.abo.cli;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.DefaultScaling;
import dev.abo.core.augment.Scaling;
import dev.abo.core.augment.Stretch;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.DatasetSpec;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.data.SquareResize;
import dev.abo.core.geometry.Shape;
import dev.abo.core.sample.DatasetSampleSource;
import dev.abo.core.sample.HeldOutSplit;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.synth.SceneGenerator;
import dev.abo.core.synth.SyntheticDatasets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of a training run, as {@code abo train} and {@code abo bench paper} both set it up: an
 * augmented training stream, an un-augmented held-out stream (files datasets split by
 * {@link HeldOutSplit}; synthetic held-out scenes from {@link #SYNTHETIC_HELDOUT_OFFSET} on), and the
 * training boxes stretched to the input size that k-means anchors are fitted to (difficult and crowd
 * objects left out, see {@link ShapeSample}).
 *
 * @param name       the dataset spec
 * @param classNames class names
 * @param scaling    the training crops' scaling, {@link DefaultScaling#of(String)}: fit for a still camera
 *                   ({@code idl:}, {@code synthetic:heads}), random for photos
 * @param train      augmented training samples
 * @param heldOut    held-out samples, stretched to the input
 * @param widths     training box widths in input px
 * @param heights    training box heights in input px
 */
public record TrainingData(String name, List<String> classNames, Scaling scaling, SampleSource train,
                           SampleSource heldOut, double[] widths, double[] heights) {

    /** Synthetic held-out scenes start here; training uses scenes 0, 1, 2, ... */
    public static final long SYNTHETIC_HELDOUT_OFFSET = 1_000_000_000L;
    /** Synthetic scenes whose boxes the k-means anchors are fitted to. */
    public static final int SYNTHETIC_KMEANS_SCENES = 1000;

    /**
     * Reads or generates the data of {@code spec} for an {@code inputSize} network.
     *
     * @param heldOutFraction share of a files dataset's images held out
     */
    public static TrainingData prepare(String spec, int inputSize, double heldOutFraction, long seed) throws IOException {
        // a still camera (idl:, synthetic:heads) without random scaling (paper Sec. 4.2.3, Brainwash), photos with it
        Scaling scaling = DefaultScaling.of(spec);
        AugmentConfig augment = AugmentConfig.yolov2(inputSize, inputSize).withScaling(scaling);
        Stretch stretch = new Stretch(inputSize, inputSize);
        SquareResize resize = new SquareResize(inputSize);
        if (SyntheticDatasets.isSynthetic(spec)) {
            SceneGenerator scenes = SyntheticDatasets.parse(spec, seed);
            List<LabeledImage> images = new ArrayList<>();
            for (int i = 0; i < SYNTHETIC_KMEANS_SCENES; i++) {
                images.add(resize.apply(scenes.scene(i).labels()));
            }
            ShapeSample shapes = ShapeSample.of(new Dataset(spec, scenes.classNames(), images));
            return new TrainingData(spec, scenes.classNames(), scaling,
                    SyntheticSampleSource.augmented(scenes, new Augmenter(augment), seed, 0),
                    SyntheticSampleSource.fitted(scenes, stretch, SYNTHETIC_HELDOUT_OFFSET, inputSize, inputSize),
                    shapes.widths(), shapes.heights());
        }
        Dataset all = DatasetSpec.parse(spec).read(ReadOptions.lenient()).dataset();
        HeldOutSplit split = HeldOutSplit.of(all, heldOutFraction, seed);
        if (split.train().images().isEmpty() || split.heldOut().images().isEmpty()) {
            throw new IllegalArgumentException("dataset " + spec + " (" + all.images().size() + " images) leaves "
                    + split.train().images().size() + " training and " + split.heldOut().images().size()
                    + " held-out images at held-out fraction " + heldOutFraction + "; both must be non-empty");
        }
        ShapeSample shapes = ShapeSample.of(resize.apply(split.train()));
        return new TrainingData(spec, all.classNames(), scaling,
                DatasetSampleSource.augmented(split.train(), new Augmenter(augment), seed),
                DatasetSampleSource.fitted(split.heldOut(), stretch, inputSize, inputSize),
                shapes.widths(), shapes.heights());
    }

    /**
     * The initial anchors of {@code init} at {@code stride}: {@code kmeans} as given; {@code identical} with a
     * deterministic 1% spread ({@code exp(0.01 (k - 2))}), since exactly equal anchors tie in every hard
     * assignment and receive identical soft-assignment gradients, so they could never separate
     * (dl4j-recipes 2.4 used the same jitter); the other tables exactly.
     */
    public static AnchorSet initialAnchors(AnchorInit init, int inputSize, int stride, AnchorSet kmeans) {
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
