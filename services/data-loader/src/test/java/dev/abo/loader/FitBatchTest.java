package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.random.IndexedSeed;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.TrainingBatchCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ABO_SCALING=fit} end to end through a batch record: a 320x160 VOC image with two known objects, one of them
 * difficult, assembled into batch 0 at a 128 px input and decoded as the trainer decodes it.
 */
class FitBatchTest {

    private static final int PERSON = 14; // VocReader.CLASSES

    /**
     * Object A: VOC corners 81,41..160,100, i.e. {@code Box(80, 40, 160, 100)}; object B (difficult): 181,61..240,120,
     * {@code Box(180, 60, 240, 120)}. Stretched to 128x128 (x * 128/320 = 0.4 x, y * 128/160 = 0.8 y) they are, by
     * hand, A = (32, 32, 64, 80) and B = (72, 48, 96, 96): 32x48 and 24x48 px.
     */
    private static final Box A_STRETCHED = new Box(32, 32, 64, 80);
    private static final Box B_STRETCHED = new Box(72, 48, 96, 96);

    private static DecodedBatch batchZero(Path voc, String scaling, int batchSize) throws Exception {
        LoaderConfig c = LoaderConfig.from(Map.of("ABO_SOURCE", "dataset:voc:" + voc, "ABO_SCALING", scaling,
                "ABO_INPUT_SIZE", "128", "ABO_BATCH_SIZE", String.valueOf(batchSize), "ABO_SEED", "7",
                "ABO_EVAL_FRACTION", "0"));
        SampleStreams s = SampleStreams.open(c);
        BatchAssembler assembler = new BatchAssembler(s.train(), BatchPlan.endless("voc/0", c.batchSize()),
                c.imageFormat(), c.maxRecordBytes(), Clock.systemUTC());
        return TrainingBatchCodec.decode(assembler.assemble(0));
    }

    private static Path voc(Path dir) throws Exception {
        return TinyVoc.write(dir, "000001", 320, 160,
                TinyVoc.object("person", 81, 41, 160, 100, false),
                TinyVoc.object("person", 181, 61, 240, 120, true));
    }

    @Test
    void aFitBatchShowsTheKnownObjectsAtTheirStretchedCoordinatesShiftedByTheJitterWindow(@TempDir Path dir)
            throws Exception {
        DecodedBatch d = batchZero(voc(dir), "fit", 4);
        assertThat(d.samples()).hasSize(4);
        for (int k = 0; k < 4; k++) {
            // the one image, sample k, augmented with a generator seeded by (ABO_SEED, k) (DatasetSampleSource);
            // FIT draws the window's left and top, uniform within +-0.2 of the frame (+-64 and +-32 source px),
            // then the flip (JitterCrop): replay them
            SplittableRandom rng = new SplittableRandom(IndexedSeed.of(7, k));
            double dx = 0.2 * 320 * (2 * rng.nextDouble() - 1);
            double dy = 0.2 * 160 * (2 * rng.nextDouble() - 1);
            boolean flip = rng.nextDouble() < 0.5;
            // the window (dx, dy, dx + 320, dy + 160) stretched to 128x128 moves every point by (-0.4 dx, -0.8 dy),
            // then x -> 128 - x when flipped; both boxes stay inside the input (|0.4 dx|, |0.8 dy| <= 25.6 px)
            List<LabeledObject> objects = d.samples().get(k).objects();
            assertThat(objects).hasSize(2);
            assertBox(objects.get(0).box(), shifted(A_STRETCHED, -0.4 * dx, -0.8 * dy, flip), k);
            assertBox(objects.get(1).box(), shifted(B_STRETCHED, -0.4 * dx, -0.8 * dy, flip), k);
            // the stretched sizes, whatever the draws: the size the held-out frames and inference show
            assertThat(objects.get(0).box().width()).isCloseTo(32, within(1e-4));
            assertThat(objects.get(0).box().height()).isCloseTo(48, within(1e-4));
            assertThat(objects.get(1).box().width()).isCloseTo(24, within(1e-4));
            assertThat(objects.get(1).box().height()).isCloseTo(48, within(1e-4));
            // the difficult flag of the XML travels through augmentation, the record and the codec
            assertThat(objects).extracting(LabeledObject::difficult).containsExactly(false, true);
            assertThat(objects).extracting(LabeledObject::crowd).containsExactly(false, false);
            assertThat(objects).extracting(LabeledObject::classId).containsExactly(PERSON, PERSON);
        }
    }

    @Test
    void withNoneTheSameObjectsAreAtSourceScaleTwoAndAHalfTimesWider(@TempDir Path dir) throws Exception {
        // none: a 128x128 window of source pixels, one per input pixel: A is 80x60 px where the window does not cut
        // it, not the 32x48 px of the held-out frames (the mismatch fit removes); a cut box is clipped smaller
        DecodedBatch d = batchZero(voc(dir), "none", 16);
        int whole = 0;
        for (var sample : d.samples()) {
            for (LabeledObject o : sample.objects()) {
                Box b = o.box();
                boolean cut = b.x1() == 0 || b.y1() == 0 || b.x2() == 128 || b.y2() == 128;
                Box full = o.difficult() ? new Box(0, 0, 60, 60) : new Box(0, 0, 80, 60);
                if (cut) {
                    assertThat(b.width()).isLessThanOrEqualTo(full.width() + 1e-4);
                    assertThat(b.height()).isLessThanOrEqualTo(full.height() + 1e-4);
                } else {
                    assertThat(b.width()).isCloseTo(full.width(), within(1e-4));
                    assertThat(b.height()).isCloseTo(full.height(), within(1e-4));
                    whole++;
                }
            }
        }
        assertThat(whole).as("boxes the window did not cut, over the 16 samples").isPositive();
    }

    private static Box shifted(Box b, double ox, double oy, boolean flip) {
        Box moved = new Box(b.x1() + ox, b.y1() + oy, b.x2() + ox, b.y2() + oy);
        return flip ? new Box(128 - moved.x2(), moved.y1(), 128 - moved.x1(), moved.y2()) : moved;
    }

    private static void assertBox(Box actual, Box expected, int sample) {
        // boxes travel as 32-bit floats: within 1e-4 px of the double at these magnitudes (< 128 * 2^-23 ~ 1.5e-5)
        assertThat(new double[] {actual.x1(), actual.y1(), actual.x2(), actual.y2()}).as("sample %d", sample)
                .containsExactly(new double[] {expected.x1(), expected.y1(), expected.x2(), expected.y2()}, within(1e-4));
    }
}
