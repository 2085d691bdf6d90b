package dev.abo.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.abo.core.augment.Stretch;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.synth.CameraStream;
import dev.abo.core.synth.DriftSchedule;
import dev.abo.core.synth.HeadsScenes;
import dev.abo.core.synth.MixedScenes;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.trainer.TrainerCheckpoints;

/**
 * The final learned-vs-fixed comparison: AP50 of a trainer's last checkpoint on held-out scenes of the camera
 * before the drift (mixed objects) and after it (small heads). The scenes are frames {@link #OFFSET}.. of the
 * camera, which no loader of the demo sends, stretched to the input size as the held-out streams are; labels keep
 * the camera's class ids, which are the first ones of the model's list ({@link ServiceSettings#classNames}).
 */
final class CameraScenes {

    static final long OFFSET = 3_000_000_000_000L;

    private CameraScenes() {
    }

    /** The camera showing the scene of one phase on every frame. */
    static CameraStream phase(long seed, boolean drifted) {
        return new CameraStream(new MixedScenes(seed), new HeadsScenes(seed),
                DriftSchedule.at(drifted ? 0 : ServiceSettings.NO_DRIFT), seed);
    }

    /** {@code n} held-out scenes of one phase as the model sees them, labelled in the model's classes. */
    static HeldOutEvaluation heldOut(long seed, boolean drifted, int inputSize, List<String> modelClasses, int n)
            throws IOException {
        SampleSource scenes = SyntheticSampleSource.fitted(phase(seed, drifted), new Stretch(inputSize, inputSize), OFFSET,
                inputSize, inputSize);
        List<String> camera = scenes.classNames();
        if (!modelClasses.subList(0, camera.size()).equals(camera)) {
            throw new IllegalArgumentException("the model's classes " + modelClasses + " do not start with the camera's " + camera);
        }
        return HeldOutEvaluation.of(new InModelClasses(scenes, modelClasses), n);
    }

    /** AP50 (and anchor IoU) of the checkpoint in {@code checkpointDir} on {@code scenes}; empty without a checkpoint. */
    static Optional<EvalRecord> evaluate(Path checkpointDir, HeldOutEvaluation scenes) throws IOException {
        Optional<TrainerCheckpoints.Restored> r = new TrainerCheckpoints(checkpointDir).read();
        if (r.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(scenes.evaluate(r.get().net(), r.get().config(), r.get().state().step()));
    }

    /** A source whose class list is the model's (its ids already index it). */
    private record InModelClasses(SampleSource inner, List<String> classNames) implements SampleSource {
        @Override
        public int inputWidth() {
            return inner.inputWidth();
        }

        @Override
        public int inputHeight() {
            return inner.inputHeight();
        }

        @Override
        public TrainingSample sample(long index) throws IOException {
            return inner.sample(index);
        }

        @Override
        public long epochLength() {
            return inner.epochLength();
        }
    }
}
