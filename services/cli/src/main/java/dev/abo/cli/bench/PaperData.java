package dev.abo.cli.bench;

import dev.abo.cli.TrainingData;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.sample.HeldOutSplit;
import dev.abo.core.sample.SampleSource;
import dev.abo.detector.train.HeldOutEvaluation;
import java.io.IOException;
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
    static final long SYNTHETIC_HELDOUT_OFFSET = TrainingData.SYNTHETIC_HELDOUT_OFFSET;
    /** As {@code abo train}: synthetic scenes whose boxes the k-means anchors are fitted to. */
    static final int SYNTHETIC_KMEANS_SCENES = TrainingData.SYNTHETIC_KMEANS_SCENES;
    /** As {@code abo train}: k-means restarts. */
    static final int KMEANS_RESTARTS = 3;

    static PaperData prepare(String spec, int inputSize, int numAnchors, double heldOutFraction, int evalImages,
                             long seed) throws IOException {
        TrainingData data = TrainingData.prepare(spec, inputSize, heldOutFraction, seed);
        if (data.widths().length < numAnchors) {
            throw new IllegalArgumentException("dataset " + spec + " has " + data.widths().length
                    + " usable training boxes; k-means needs at least " + numAnchors);
        }
        AnchorSet kmeans = new AnchorKMeans().fit(data.widths(), data.heights(), numAnchors, KMEANS_RESTARTS,
                new SplittableRandom(seed)).anchors(inputSize, inputSize);
        return new PaperData(spec, seed, data.classNames(), data.train(),
                HeldOutEvaluation.of(data.heldOut(), evalImages), data.widths(), data.heights(), kmeans);
    }

    /**
     * The initial anchors of {@code init} at stride {@code stride}, as {@code abo train} makes them:
     * {@code kmeans} from the training boxes; {@code identical} with {@code abo train}'s deterministic 1%
     * spread ({@code exp(0.01 (k - 2))}), without which equal anchors tie in every assignment and could never
     * separate; the other tables exactly.
     */
    AnchorSet initialAnchors(AnchorInit init, int inputSize, int stride) {
        return TrainingData.initialAnchors(init, inputSize, stride, kmeans);
    }
}
