package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A held-out record with a difficult object and a crowd region, taken the way {@code HeldOutSet} takes it (decode,
 * renumber into the model's classes, {@link HeldOutEvaluation}), scored on detections given by hand: VOC protocol,
 * a detection on a difficult object or a crowd region is neither a true nor a false positive.
 */
class HeldOutIgnoredObjectsTest {

    private static final ModelShape MODEL = new ModelShape(64, List.of("cup", "head"));
    private static final int HEAD = 1; // in the model's classes

    private static final Box PLAIN = new Box(0, 0, 16, 16);
    private static final Box DIFFICULT = new Box(24, 0, 40, 16);
    private static final Box CROWD = new Box(0, 32, 32, 64);

    /** The held-out samples of one record from a loader whose only class is "head" (class id 0 there). */
    private static List<TrainingSample> heldOut(boolean flags) throws Exception {
        List<LabeledObject> objects = List.of(LabeledObject.of(PLAIN, 0),
                new LabeledObject(DIFFICULT, 0, flags, false, DIFFICULT.area()),
                new LabeledObject(CROWD, 0, false, flags, CROWD.area()));
        TrainingBatch record = TrainingBatchCodec.encode("cam/0", 0,
                List.of(new TrainingSample(RgbImage.blank(64, 64), objects, "frame#0")), List.of("head"),
                ImageFormat.rgb8(), Clock.systemUTC());
        DecodedBatch decoded = TrainingBatchCodec.decode(TrainingBatch.parseFrom(record.toByteArray()));
        return MODEL.toModelClasses(decoded).samples();
    }

    /** By score: the difficult object (.9), a miss (.85), the plain object (.8), the crowd region (.7). */
    private static final Map<String, List<Detection>> DETECTIONS = Map.of("0", List.of(
            new Detection(DIFFICULT, HEAD, 0.9), new Detection(new Box(48, 48, 60, 60), HEAD, 0.85),
            new Detection(PLAIN, HEAD, 0.8), new Detection(CROWD, HEAD, 0.7)));

    @Test
    void detectionsOnDifficultObjectsAndCrowdRegionsAreNeitherTrueNorFalsePositives() throws Exception {
        List<TrainingSample> samples = heldOut(true);
        assertThat(samples.get(0).objects()).extracting(LabeledObject::difficult).containsExactly(false, true, false);
        assertThat(samples.get(0).objects()).extracting(LabeledObject::crowd).containsExactly(false, false, true);
        HeldOutEvaluation eval = HeldOutEvaluation.of(samples, MODEL.classNames());
        // by hand: one positive (the plain object); the .9 and .7 detections are skipped; the miss is a FP, the plain
        // one a TP: rec = [0, 1], prec = [0, 1/2]; all-point AP = 1 * 1/2. "cup" has no ground truth: not in the mean
        assertThat(eval.ap50(DETECTIONS)).isCloseTo(0.5, within(1e-12));
        // the anchors' statistics use the plain object only
        assertThat(eval.shapes()).containsExactly(PLAIN.shape());
    }

    @Test
    void withoutTheFlagsTheSameDetectionsScoreAsIfEveryObjectWereAPositive() throws Exception {
        // a record without flags (as before they existed): three positives; TP, FP, TP, TP:
        // rec = [1/3, 1/3, 2/3, 1], prec = [1, 1/2, 2/3, 3/4]; envelope 1 up to recall 1/3, then 3/4:
        // AP = 1/3 * 1 + 2/3 * 3/4 = 5/6 (the protocol's 1/2 above counts the miss against the one real positive)
        HeldOutEvaluation eval = HeldOutEvaluation.of(heldOut(false), MODEL.classNames());
        assertThat(eval.ap50(DETECTIONS)).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(eval.shapes()).hasSize(3);
    }
}
