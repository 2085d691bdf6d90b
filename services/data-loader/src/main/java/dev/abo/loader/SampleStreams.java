package dev.abo.loader;

import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Stretch;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.data.ReadReport;
import dev.abo.core.data.SkippedObject;
import dev.abo.core.sample.DatasetSampleSource;
import dev.abo.core.sample.HeldOutSplit;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.synth.CameraStream;
import dev.abo.core.synth.DriftSchedule;
import dev.abo.core.synth.HeadsScenes;
import dev.abo.core.synth.MixedScenes;
import dev.abo.core.synth.SceneGenerator;
import dev.abo.core.synth.SyntheticDatasets;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The two replayable streams of a dataset, synthetic or camera source: the endless, augmented
 * training stream for {@code train.batches} and the finite, un-augmented ({@link Stretch}) held-out
 * stream for {@code eval.batches} on which the trainer measures AP.
 *
 * <ul>
 *   <li>dataset: {@link HeldOutSplit} by image id ({@code ABO_EVAL_FRACTION}); training samples the
 *       rest in shuffled epochs; evaluation is every held-out image once, in dataset order.</li>
 *   <li>synthetic: training shows scenes {@code 0, 1, ...}; evaluation shows {@code ABO_EVAL_IMAGES}
 *       scenes from {@link #EVAL_SCENE_OFFSET} on, which training reaches only after 10^12 samples.</li>
 *   <li>camera:drift: {@code synthetic:mixed} before {@code ABO_DRIFT_FRAME}, {@code synthetic:heads}
 *       from it on; the evaluation stream drifts at the same sample index, so eval sample {@code j}
 *       shows the scene type training sample {@code j} shows.</li>
 * </ul>
 *
 * @param train    augmented training samples
 * @param eval     held-out samples, absent when disabled (fraction or image count 0)
 * @param skipped  objects the dataset reader left out (invalid boxes, unknown classes), to log and count
 */
public record SampleStreams(SampleSource train, Optional<SampleSource> eval, List<SkippedObject> skipped) {

    /** First scene index of a synthetic evaluation stream. */
    public static final long EVAL_SCENE_OFFSET = 1_000_000_000_000L;

    public SampleStreams {
        skipped = List.copyOf(skipped);
    }

    /** Number of samples in the evaluation stream (one pass), 0 when there is none. */
    public long evalSamples() {
        return eval.map(SampleSource::epochLength).orElse(0L);
    }

    /**
     * Opens the streams of {@code config.source()}; reads a dataset's annotations (not its images).
     *
     * @throws IllegalArgumentException for a {@code watch:} source, which is not replayable (see {@link WatchedFolder})
     */
    public static SampleStreams open(LoaderConfig config) throws IOException {
        int w = config.inputWidth();
        int h = config.inputHeight();
        Augmenter augmenter = new Augmenter(config.augmentConfig());
        Stretch stretch = new Stretch(w, h);
        long seed = config.seed();
        SourceSpec source = config.source();
        if (source instanceof SourceSpec.Dataset d) {
            ReadReport report = d.spec().read(ReadOptions.lenient());
            if (config.evalFraction() == 0) {
                return new SampleStreams(DatasetSampleSource.augmented(report.dataset(), augmenter, seed), Optional.empty(),
                        report.skipped());
            }
            HeldOutSplit split = HeldOutSplit.of(report.dataset(), config.evalFraction(), seed);
            if (split.train().images().isEmpty() || split.heldOut().images().isEmpty()) {
                throw new IllegalArgumentException("ABO_EVAL_FRACTION: " + config.evalFraction() + " of the "
                        + report.dataset().images().size() + " images of " + report.dataset().name() + " leaves "
                        + split.train().images().size() + " for training and " + split.heldOut().images().size()
                        + " held out; both need at least one");
            }
            return new SampleStreams(DatasetSampleSource.augmented(split.train(), augmenter, seed),
                    Optional.of(DatasetSampleSource.fitted(split.heldOut(), stretch, w, h)), report.skipped());
        }
        SceneGenerator train;
        SceneGenerator eval;
        if (source instanceof SourceSpec.Synthetic s) {
            train = SyntheticDatasets.parse(s.name(), seed);
            eval = train;
        } else if (source instanceof SourceSpec.CameraDrift) {
            DriftSchedule drift = new DriftSchedule(config.driftFrame(), config.driftBlendFrames());
            train = new CameraStream(new MixedScenes(seed), new HeadsScenes(seed), drift, seed);
            eval = new CameraStream(new MixedScenes(seed), new HeadsScenes(seed),
                    new DriftSchedule(EVAL_SCENE_OFFSET + config.driftFrame(), config.driftBlendFrames()), seed);
        } else {
            throw new IllegalArgumentException("a watch: source is read by WatchedFolder, not as a replayable stream");
        }
        SampleSource trainStream = SyntheticSampleSource.augmented(train, augmenter, seed, 0);
        Optional<SampleSource> evalStream = config.evalImages() == 0 ? Optional.empty()
                : Optional.of(new FiniteSource(SyntheticSampleSource.fitted(eval, stretch, EVAL_SCENE_OFFSET, w, h),
                config.evalImages()));
        return new SampleStreams(trainStream, evalStream, List.of());
    }
}
