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
 * The replayable streams of a dataset, synthetic or camera source: the augmented training samples for
 * {@code train.batches} and the un-augmented ({@link Stretch}) held-out samples for {@code eval.batches} on which
 * the trainer measures AP.
 *
 * <ul>
 *   <li>dataset: {@link HeldOutSplit} by image id ({@code ABO_EVAL_FRACTION}); training samples the
 *       rest in shuffled epochs; the held-out split is one finite pass, every held-out image once in dataset
 *       order, sent before training ({@link HeldOut.FirstPass}).</li>
 *   <li>synthetic: frame {@code i} is scene {@code i}; {@code train} is every frame augmented, and the loader
 *       holds out whole batches of frames as the stream goes ({@link HeldOut.FromStream}, {@link HeldOutRounds}):
 *       those are sent fitted to {@code eval.batches} and never trained on.</li>
 *   <li>camera:drift: the same, on a camera showing {@code synthetic:mixed} before {@code ABO_DRIFT_FRAME} and
 *       {@code synthetic:heads} from it on; a held-out frame after the drift shows heads like a training one.</li>
 * </ul>
 *
 * @param train    augmented training samples: a dataset's training split, or every frame of an endless source
 *                 (the loader leaves out those {@link HeldOut.FromStream} holds out)
 * @param heldOut  the held-out samples, absent when disabled ({@code ABO_EVAL_FRACTION} or {@code ABO_EVAL_IMAGES} 0)
 * @param skipped  objects the dataset reader left out (invalid boxes, unknown classes), to log and count
 */
public record SampleStreams(SampleSource train, Optional<HeldOut> heldOut, List<SkippedObject> skipped) {

    /** Where the held-out samples come from. */
    public sealed interface HeldOut {

        /** A dataset's held-out split: {@code images} is one finite pass, sent before any training batch. */
        record FirstPass(SampleSource images) implements HeldOut {
        }

        /**
         * Frames of the endless stream itself: {@code frames} is every frame fitted to the input (indexed like
         * {@code train}); {@code rounds} says which are held out.
         */
        record FromStream(SampleSource frames, HeldOutRounds rounds) implements HeldOut {
        }
    }

    public SampleStreams {
        skipped = List.copyOf(skipped);
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
                    Optional.of(new HeldOut.FirstPass(DatasetSampleSource.fitted(split.heldOut(), stretch, w, h))),
                    report.skipped());
        }
        SceneGenerator scenes;
        if (source instanceof SourceSpec.Synthetic s) {
            scenes = SyntheticDatasets.parse(s.name(), seed);
        } else if (source instanceof SourceSpec.CameraDrift) {
            scenes = new CameraStream(new MixedScenes(seed), new HeadsScenes(seed),
                    new DriftSchedule(config.driftFrame(), config.driftBlendFrames()), seed);
        } else {
            throw new IllegalArgumentException("a watch: source is read by WatchedFolder, not as a replayable stream");
        }
        Optional<HeldOut> heldOut = config.heldOutRounds().map(rounds ->
                new HeldOut.FromStream(SyntheticSampleSource.fitted(scenes, stretch, 0, w, h), rounds));
        return new SampleStreams(SyntheticSampleSource.augmented(scenes, augmenter, seed, 0), heldOut, List.of());
    }
}
