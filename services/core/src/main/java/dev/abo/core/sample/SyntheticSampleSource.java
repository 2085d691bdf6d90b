package dev.abo.core.sample;

import dev.abo.core.random.IndexedSeed;

import dev.abo.core.augment.Augmented;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.InputFit;
import dev.abo.core.synth.SceneGenerator;
import dev.abo.core.synth.SyntheticScene;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples from a synthetic scene generator: scene {@code offset + index}, augmented with a generator
 * seeded by {@code (seed, index)} (training) or only fitted to the input size (evaluation). Give the
 * evaluation source a different {@code offset} than training (e.g. 1e9) to hold its scenes out.
 */
public final class SyntheticSampleSource implements SampleSource {
    private final SceneGenerator scenes;
    private final Augmenter augmenter;
    private final InputFit fit;
    private final long seed;
    private final long offset;
    private final int width;
    private final int height;

    private SyntheticSampleSource(SceneGenerator scenes, Augmenter augmenter, InputFit fit, long seed, long offset,
                                  int width, int height) {
        if (offset < 0) {
            throw new IllegalArgumentException("scene offset must be >= 0, got " + offset);
        }
        this.scenes = scenes;
        this.augmenter = augmenter;
        this.fit = fit;
        this.seed = seed;
        this.offset = offset;
        this.width = width;
        this.height = height;
    }

    public static SyntheticSampleSource augmented(SceneGenerator scenes, Augmenter augmenter, long seed, long offset) {
        return new SyntheticSampleSource(scenes, augmenter, null, seed, offset, augmenter.config().outputWidth(),
                augmenter.config().outputHeight());
    }

    public static SyntheticSampleSource fitted(SceneGenerator scenes, InputFit fit, long offset, int width, int height) {
        return new SyntheticSampleSource(scenes, null, fit, 0, offset, width, height);
    }

    @Override
    public List<String> classNames() {
        return scenes.classNames();
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
        return -1;
    }

    @Override
    public TrainingSample sample(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be >= 0, got " + index);
        }
        SyntheticScene scene = scenes.scene(offset + index);
        Augmented a = augmenter == null
                ? fit.apply(scene.image(), scene.labels().objects())
                : augmenter.apply(scene.image(), scene.labels().objects(), new SplittableRandom(IndexedSeed.of(seed, index)));
        return new TrainingSample(a.image(), a.objects(), scenes.name() + "#" + (offset + index));
    }
}
