package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.augment.Stretch;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.synth.MixedScenes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleStreamsTest {

    private static LoaderConfig config(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("ABO_INPUT_SIZE", "64"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return LoaderConfig.from(env);
    }

    @Test
    void aSyntheticSourceHoldsOutWholeBatchesOfItsOwnFramesUnaugmented() throws Exception {
        SampleStreams s = SampleStreams.open(config("ABO_SOURCE", "synthetic:mixed", "ABO_EVAL_IMAGES", "3", "ABO_SEED", "4",
                "ABO_BATCH_SIZE", "2", "ABO_EVAL_EVERY_BATCHES", "5"));
        // frame i is scene i, in both streams
        assertThat(s.train().sample(7).origin()).isEqualTo("synthetic:mixed#7");
        assertThat(s.train().epochLength()).isEqualTo(-1);
        SampleStreams.HeldOut.FromStream held = (SampleStreams.HeldOut.FromStream) s.heldOut().orElseThrow();
        // 3 images round up to 2 batches of 2, then 5 training batches: rounds of 7 batches
        assertThat(held.rounds()).isEqualTo(new HeldOutRounds(2, 2, 5));
        assertThat(held.frames().sample(15).origin()).isEqualTo("synthetic:mixed#15");
        // un-augmented: exactly the scene stretched to the input (second method: Stretch on the scene itself)
        var scene = new MixedScenes(4).scene(15);
        var fitted = new Stretch(64, 64).apply(scene.image(), scene.labels().objects());
        assertThat(held.frames().sample(15).image()).isEqualTo(fitted.image());
        assertThat(held.frames().sample(15).objects()).isEqualTo(fitted.objects());
        assertThat(SampleStreams.open(config("ABO_EVAL_IMAGES", "0")).heldOut()).isEmpty();
    }

    @Test
    void cameraDriftShowsHeadsFromTheDriftFrameInTrainingAndHeldOutFrames() throws Exception {
        SampleStreams s = SampleStreams.open(config("ABO_SOURCE", "camera:drift", "ABO_DRIFT_FRAME", "5",
                "ABO_EVAL_IMAGES", "10"));
        assertThat(s.train().classNames()).containsExactly("box", "ball", "pole", "slab", "tri", "head");
        SampleSource heldOut = ((SampleStreams.HeldOut.FromStream) s.heldOut().orElseThrow()).frames();
        for (SampleSource src : new SampleSource[] {s.train(), heldOut}) {
            for (int i = 0; i < 10; i++) {
                Set<Integer> classes = new HashSet<>();
                TrainingSample sample = src.sample(i);
                sample.objects().stream().map(LabeledObject::classId).forEach(classes::add);
                if (i < 5) {
                    assertThat(classes).as("sample %d", i).doesNotContain(5);
                } else {
                    assertThat(classes).as("sample %d", i).containsOnly(5);
                }
            }
        }
    }

    @Test
    void withoutAugmentationATrainingFrameIsTheWholeSceneStretchedToTheInputLikeTheHeldOutOnes() throws Exception {
        SampleStreams s = SampleStreams.open(config("ABO_SOURCE", "synthetic:mixed", "ABO_AUGMENT", "none", "ABO_SEED", "4"));
        for (int i = 0; i < 5; i++) {
            // second method: Stretch of the 320x240 scene itself (what the held-out stream shows)
            var scene = new MixedScenes(4).scene(i);
            var fitted = new Stretch(64, 64).apply(scene.image(), scene.labels().objects());
            TrainingSample sample = s.train().sample(i);
            assertThat(sample.objects()).as("sample %d", i).hasSameSizeAs(scene.labels().objects());
            for (int k = 0; k < sample.objects().size(); k++) {
                var got = sample.objects().get(k).box();
                var want = fitted.objects().get(k).box();
                assertThat(new double[] {got.x1(), got.y1(), got.x2(), got.y2()}).as("sample %d box %d", i, k)
                        .containsExactly(new double[] {want.x1(), want.y1(), want.x2(), want.y2()}, within(1e-9));
                assertThat(sample.objects().get(k).classId()).isEqualTo(fitted.objects().get(k).classId());
            }
        }
    }

    @Test
    void aStillCameraTrainsOnObjectsOfTheSizeItsHeldOutFramesShow() throws Exception {
        // synthetic:heads defaults to fit; 128 px input; training frame i and held-out frame i are the same scene
        SampleStreams fit = SampleStreams.open(config("ABO_SOURCE", "synthetic:heads", "ABO_INPUT_SIZE", "128", "ABO_SEED", "3"));
        SampleStreams none = SampleStreams.open(config("ABO_SOURCE", "synthetic:heads", "ABO_INPUT_SIZE", "128", "ABO_SEED", "3",
                "ABO_SCALING", "none"));
        SampleSource heldOut = ((SampleStreams.HeldOut.FromStream) fit.heldOut().orElseThrow()).frames();
        List<Double> heldOutSides = new ArrayList<>();
        List<Double> fitSides = new ArrayList<>();
        List<Double> noneSides = new ArrayList<>();
        int cut = 0;
        for (int i = 0; i < FRAMES; i++) {
            List<LabeledObject> truth = heldOut.sample(i).objects();
            truth.forEach(o -> heldOutSides.add(side(o)));
            none.train().sample(i).objects().forEach(o -> noneSides.add(side(o)));
            for (LabeledObject o : fit.train().sample(i).objects()) {
                fitSides.add(side(o));
                Box b = o.box();
                if (b.x1() <= 0 || b.y1() <= 0 || b.x2() >= 128 || b.y2() >= 128) {
                    cut++; // clipped by the shifted window (or on the frame's edge): at most its held-out size
                } else {
                    // fit only moves (and mirrors) the stretched frame: a box the window does not cut has the
                    // width and height of one of the frame's held-out boxes, exactly
                    assertThat(truth).as("frame %d box %s", i, b).anySatisfy(t -> {
                        assertThat(t.box().width()).isCloseTo(b.width(), within(1e-9));
                        assertThat(t.box().height()).isCloseTo(b.height(), within(1e-9));
                    });
                }
            }
        }
        // The training boxes are the held-out boxes except `cut` of them shrunk and `dropped` left out (under 20%
        // visible); none grows. So the training median t_k (k = the lower median's rank among the training boxes)
        // lies between the held-out order statistics h_(k - cut) and h_(k + dropped): at least k + 1 - cut unchanged
        // boxes are <= t_k, and at least (training count - k) boxes, each at most its held-out size, are >= t_k.
        List<Double> h = heldOutSides.stream().sorted().toList();
        List<Double> t = fitSides.stream().sorted().toList();
        int dropped = h.size() - t.size();
        int k = (t.size() - 1) / 2;
        double fitMedian = t.get(k);
        double low = h.get(k - cut);
        double high = h.get(k + dropped);
        double noneMedian = noneSides.stream().sorted().toList().get((noneSides.size() - 1) / 2);
        System.out.printf("synthetic:heads, %d frames at 128 px: median box side held-out %.3f px, fit %.3f px "
                        + "(bounds %.3f..%.3f; %d boxes, %d cut, %d dropped), none %.3f px%n", FRAMES, h.get((h.size() - 1) / 2),
                fitMedian, low, high, t.size(), cut, dropped, noneMedian);
        assertThat(dropped).isNotNegative();
        assertThat(fitMedian).isBetween(low, high);
        assertThat(high / low).as("the bounds are tight").isLessThan(1.25);
        // none crops 320x240 frames at one source pixel per input pixel: 2.5x wider and 1.875x higher boxes than the
        // stretched held-out frames (sqrt(2.5 * 1.875) = 2.17 in side), far outside those bounds
        assertThat(noneMedian).isGreaterThan(1.5 * high);
    }

    private static final int FRAMES = 64;

    /** A box's side as the geometric mean of its width and height, input px. */
    private static double side(LabeledObject o) {
        return Math.sqrt(o.box().width() * o.box().height());
    }

    @Test
    void aDatasetIsSplitByHeldOutSplitIntoAugmentedTrainingAndOneFittedEvaluationPass() throws Exception {
        Path voc = Path.of(System.getProperty("abo.shared.dir", "../../../shared"), "data", "voc2007-train");
        SampleStreams s = SampleStreams.open(config("ABO_SOURCE", "dataset:voc:" + voc + ":train", "ABO_EVAL_FRACTION", "0.1"));
        SampleSource eval = ((SampleStreams.HeldOut.FirstPass) s.heldOut().orElseThrow()).images();
        // the train split lists 2501 images (data README); every one lands in exactly one stream
        assertThat(s.train().epochLength() + eval.epochLength()).isEqualTo(2501);
        assertThat(eval.epochLength()).isBetween(200L, 300L);
        assertThat(s.train().classNames()).hasSize(20);
        TrainingSample e = eval.sample(0);
        assertThat(e.image().width()).isEqualTo(64);
        assertThat(s.skipped()).isEmpty();
        Set<String> evalIds = new HashSet<>();
        for (int i = 0; i < eval.epochLength(); i++) {
            evalIds.add(((dev.abo.core.sample.DatasetSampleSource) eval).imageOf(i).id());
        }
        for (int i = 0; i < 300; i++) {
            assertThat(evalIds).doesNotContain(((dev.abo.core.sample.DatasetSampleSource) s.train()).imageOf(i).id());
        }
    }

    @Test
    void aWatchSourceIsNotAReplayableStream(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        assertThatThrownBy(() -> SampleStreams.open(config("ABO_SOURCE", "watch:" + dir)))
                .hasMessage("a watch: source is read by WatchedFolder, not as a replayable stream");
    }
}
