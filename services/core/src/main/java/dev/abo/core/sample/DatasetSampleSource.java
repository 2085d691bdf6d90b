package dev.abo.core.sample;

import dev.abo.core.random.IndexedSeed;

import dev.abo.core.augment.Augmented;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.InputFit;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples from a dataset on disk, epoch by epoch: epoch {@code e} visits every image once in an
 * order shuffled by {@code (seed, e)}; each visit is augmented with a generator seeded by
 * {@code (seed, index)} (training), or only fitted to the input size (evaluation, no randomness).
 */
public final class DatasetSampleSource implements SampleSource {
    private final Dataset dataset;
    private final Augmenter augmenter;
    private final InputFit fit;
    private final long seed;
    private final int width;
    private final int height;
    private final EpochPermutation order;

    private DatasetSampleSource(Dataset dataset, Augmenter augmenter, InputFit fit, long seed, int width, int height) {
        if (dataset.images().isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " has no images");
        }
        this.dataset = dataset;
        this.augmenter = augmenter;
        this.fit = fit;
        this.seed = seed;
        this.width = width;
        this.height = height;
        this.order = new EpochPermutation(dataset.images().size(), seed);
    }

    /** Randomly augmented samples (training), shuffled per epoch. */
    public static DatasetSampleSource augmented(Dataset dataset, Augmenter augmenter, long seed) {
        return new DatasetSampleSource(dataset, augmenter, null, seed, augmenter.config().outputWidth(),
                augmenter.config().outputHeight());
    }

    /** Deterministic samples in dataset order (evaluation): image {@code i % n} fitted to the input. */
    public static DatasetSampleSource fitted(Dataset dataset, InputFit fit, int width, int height) {
        return new DatasetSampleSource(dataset, null, fit, 0, width, height);
    }

    @Override
    public List<String> classNames() {
        return dataset.classNames();
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public int inputHeight() {
        return height;
    }

    @Override
    public long epochLength() {
        return dataset.images().size();
    }

    /** The dataset image that sample {@code index} shows. */
    public LabeledImage imageOf(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be >= 0, got " + index);
        }
        int n = dataset.images().size();
        if (augmenter == null) {
            return dataset.images().get((int) (index % n));
        }
        return dataset.images().get(order.at(index / n, (int) (index % n)));
    }

    @Override
    public TrainingSample sample(long index) throws IOException {
        LabeledImage labels = imageOf(index);
        if (labels.file() == null) {
            throw new IOException("image " + labels.id() + " of " + dataset.name() + " has no file");
        }
        RgbImage pixels = ImageCodec.read(labels.file());
        if (pixels.width() != labels.width() || pixels.height() != labels.height()) {
            throw new IOException(labels.file() + ": decoded size " + pixels.width() + "x" + pixels.height()
                    + " differs from the annotation's " + labels.width() + "x" + labels.height());
        }
        Augmented a = augmenter == null
                ? fit.apply(pixels, labels.objects())
                : augmenter.apply(pixels, labels.objects(), new SplittableRandom(IndexedSeed.of(seed, index)));
        return new TrainingSample(a.image(), a.objects(), labels.id());
    }
}
