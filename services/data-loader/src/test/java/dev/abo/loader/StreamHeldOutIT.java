package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Scaling;
import dev.abo.core.augment.Stretch;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.synth.CameraStream;
import dev.abo.core.synth.DriftSchedule;
import dev.abo.core.synth.HeadsScenes;
import dev.abo.core.synth.MixedScenes;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import org.junit.jupiter.api.Test;

/** An endless camera's held-out batches, taken out of its stream as it goes, on a real broker. */
class StreamHeldOutIT {

    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.sharedForTests();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String SOURCE = "camera:drift/loader-0";
    private static final int BATCH = 4;
    private static final long DRIFT_FRAME = 28;
    /**
     * Batches of 4 frames; 8 held-out images = 2 held-out batches, then 3 training batches: rounds of 5 stream batches.
     * <pre>
     * stream batch   0  1  2  3  4 |  5  6  7  8  9 | 10 11 12 13 14
     * goes to       H0 H1 T0 T1 T2 | H2 H3 T3 T4 T5 | H4 H5 T6 T7 T8
     * </pre>
     * The drift at frame 28 is stream batch 7 (training batch 3); held-out batches 4 and 5 (frames 40..47) are the
     * first of the new scene.
     */
    private static final long[] HELD_OUT_AT = {0, 1, 5, 6, 10, 11};
    private static final long[] TRAIN_AT = {2, 3, 4, 7, 8, 9, 12, 13, 14};
    private static final int HEAD = 5;

    private static Map<String, String> env(String maxBatches) {
        return LoaderServiceIT.env("it-rounds", "ABO_SOURCE", "camera:drift", "ABO_DRIFT_FRAME", Long.toString(DRIFT_FRAME),
                "ABO_EVAL_IMAGES", "8", "ABO_EVAL_EVERY_BATCHES", "3", "ABO_MAX_BATCHES", maxBatches);
    }

    @Test
    void afterTheDriftTheNextRoundsHeldOutBatchesShowTheNewSceneAndARestartContinuesThePlan() throws Exception {
        // the first run stops after training batch 3 (stream batch 7): held-out batches 0..3 are out before it
        LoaderService first = LoaderServiceIT.loader(env("4"));
        LoaderResult r1 = first.run();
        assertThat(r1.message()).isEqualTo("batches 0..3 of '" + SOURCE + "' are on it-rounds.train, held-out batches 0..3"
                + " on it-rounds.eval");
        assertThat(first.metrics().batches("it-rounds.train")).isEqualTo(4);
        assertThat(first.metrics().batches("it-rounds.eval")).isEqualTo(4);

        // a second run continues from the log at stream batch 8: training 4, 5, held-out 4, 5, training 6..8
        LoaderService second = LoaderServiceIT.loader(env("9"));
        LoaderResult r2 = second.run();
        assertThat(r2.outcome()).isEqualTo(LoaderResult.Outcome.COMPLETED);
        assertThat(r2.message()).isEqualTo("batches 0..8 of '" + SOURCE + "' are on it-rounds.train, held-out batches 0..5"
                + " on it-rounds.eval");
        assertThat(second.metrics().batches("it-rounds.train")).isEqualTo(5);
        assertThat(second.metrics().batches("it-rounds.eval")).isEqualTo(2);

        List<TopicRecords.Stored> train = TopicRecords.readAll(BROKER.bootstrapServers(), "it-rounds.train");
        List<TopicRecords.Stored> eval = TopicRecords.readAll(BROKER.bootstrapServers(), "it-rounds.eval");
        assertThat(train).extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(eval).extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(train).allSatisfy(r -> assertThat(r.partition()).isEqualTo(LoaderService.partitionFor(SOURCE, 3)));
        assertThat(eval).allSatisfy(r -> assertThat(r.key()).isEqualTo(SOURCE));

        // each record is exactly its frames of the table above, assembled here from the core camera directly:
        // training frames augmented (YOLOv2 with a camera's default fit scaling), held-out frames only stretched
        CameraStream camera = new CameraStream(new MixedScenes(1), new HeadsScenes(1), DriftSchedule.at(DRIFT_FRAME), 1);
        SampleSource augmented = SyntheticSampleSource.augmented(camera,
                new Augmenter(AugmentConfig.yolov2(64, 64).withScaling(Scaling.FIT)), 1, 0);
        SampleSource fitted = SyntheticSampleSource.fitted(camera, new Stretch(64, 64), 0, 64, 64);
        BatchEncoder encoder = new BatchEncoder(SOURCE, BATCH, camera.classNames(), ImageFormat.jpeg(90), 1 << 20, CLOCK);
        for (int k = 0; k < TRAIN_AT.length; k++) {
            assertThat(train.get(k).value()).as("training batch %d", k)
                    .isEqualTo(encoder.encode(k, frames(augmented, TRAIN_AT[k])).toByteArray());
        }
        for (int k = 0; k < HELD_OUT_AT.length; k++) {
            assertThat(eval.get(k).value()).as("held-out batch %d", k)
                    .isEqualTo(encoder.encode(k, frames(fitted, HELD_OUT_AT[k])).toByteArray());
        }

        // the held-out records of the new scene: batches 0..3 show no head, 4 and 5 only heads
        for (int k = 0; k < eval.size(); k++) {
            Set<Integer> classes = new HashSet<>();
            TrainingBatchCodec.decode(TrainingBatch.parseFrom(eval.get(k).value())).samples()
                    .forEach(s -> s.objects().stream().map(LabeledObject::classId).forEach(classes::add));
            if (k < 4) {
                assertThat(classes).as("held-out batch %d", k).isNotEmpty().doesNotContain(HEAD);
            } else {
                assertThat(classes).as("held-out batch %d", k).containsOnly(HEAD);
            }
        }

        // no frame is on both topics, and together they are frames 0..59 without a gap
        List<Long> trained = frameNumbers(train);
        List<Long> heldOut = frameNumbers(eval);
        assertThat(trained).doesNotContainAnyElementsOf(heldOut);
        List<Long> all = new ArrayList<>(trained);
        all.addAll(heldOut);
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 60).boxed().toList());
    }

    /** The 4 frames of stream batch {@code streamBatch}. */
    private static List<TrainingSample> frames(SampleSource source, long streamBatch) throws Exception {
        List<TrainingSample> out = new ArrayList<>();
        for (int j = 0; j < BATCH; j++) {
            out.add(source.sample(streamBatch * BATCH + j));
        }
        return out;
    }

    /** The frame numbers of every image of {@code records}, from their origin ({@code <camera>#<frame>}). */
    private static List<Long> frameNumbers(List<TopicRecords.Stored> records) throws Exception {
        List<Long> out = new ArrayList<>();
        for (TopicRecords.Stored r : records) {
            for (TrainingSample s : TrainingBatchCodec.decode(TrainingBatch.parseFrom(r.value())).samples()) {
                out.add(Long.parseLong(s.origin().substring(s.origin().lastIndexOf('#') + 1)));
            }
        }
        return out;
    }
}
