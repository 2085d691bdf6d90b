package dev.abo.platform.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.synth.MixedScenes;
import dev.abo.platform.codec.InvalidBatchException.Kind;
import dev.abo.proto.training.v1.ImageEncoding;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TrainingBatchCodecTest {

    private static final List<String> CLASSES = List.of("head", "cup", "chair");
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_764_000_000_123L), ZoneOffset.UTC);

    /** A smooth 64x48 image (JPEG-friendly): r = 4x, g = 5y, b = 128 + seed. */
    private static RgbImage gradient(int seed) {
        RgbImage im = RgbImage.blank(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                im.set(x, y, 0, 4 * x);
                im.set(x, y, 1, 5 * y);
                im.set(x, y, 2, 128 + seed);
            }
        }
        return im;
    }

    /** Two samples; every coordinate is a float exactly (k / 4), so the round trip is exact. */
    private static List<TrainingSample> samples() {
        return List.of(
                new TrainingSample(gradient(0), List.of(
                        LabeledObject.of(new Box(1.5, 2.25, 30.75, 40), 0),
                        LabeledObject.of(new Box(0, 0, 64, 48), 2)), "scene#7"),
                new TrainingSample(gradient(9), List.of(), "scene#8"));
    }

    private static TrainingBatch valid(ImageFormat format) {
        return TrainingBatchCodec.encode("cam/loader-0", 5, samples(), CLASSES, format, CLOCK);
    }

    @Test
    void pngRoundTripIsExactInPixelsBoxesAndMetadata() throws Exception {
        DecodedBatch d = TrainingBatchCodec.decode(TrainingBatch.parseFrom(valid(ImageFormat.png()).toByteArray()));

        assertThat(d.sourceId()).isEqualTo("cam/loader-0");
        assertThat(d.sequenceNumber()).isEqualTo(5);
        assertThat(d.inputWidth()).isEqualTo(64);
        assertThat(d.inputHeight()).isEqualTo(48);
        assertThat(d.classNames()).isEqualTo(CLASSES);
        assertThat(d.created()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_123L));
        assertThat(d.samples()).isEqualTo(samples()); // record equality: pixels, boxes, class ids, origins
    }

    @Test
    void rgb8RoundTripIsExactAndStoresThreeBytesPerPixel() throws Exception {
        TrainingBatch b = valid(ImageFormat.rgb8());
        assertThat(b.getImages(0).getEncoding()).isEqualTo(ImageEncoding.IMAGE_ENCODING_RGB8);
        assertThat(b.getImages(0).getData().size()).isEqualTo(64 * 48 * 3);
        assertThat(TrainingBatchCodec.decode(b).samples()).isEqualTo(samples());
    }

    @Test
    void jpegKeepsBoxesExactAndPixelsClose() throws Exception {
        DecodedBatch q90 = TrainingBatchCodec.decode(valid(ImageFormat.jpeg(90)));
        DecodedBatch q20 = TrainingBatchCodec.decode(valid(ImageFormat.jpeg(20)));

        for (int i = 0; i < 2; i++) {
            assertThat(q90.samples().get(i).objects()).isEqualTo(samples().get(i).objects());
            assertThat(q90.samples().get(i).origin()).isEqualTo(samples().get(i).origin());
        }
        double err90 = meanAbsDiff(q90.samples().get(0).image(), gradient(0));
        double err20 = meanAbsDiff(q20.samples().get(0).image(), gradient(0));
        // a smooth gradient loses about a grey level at q=90; q=20 must be visibly worse
        assertThat(err90).isLessThan(2.0);
        assertThat(err20).isGreaterThan(err90);
    }

    @Test
    void boxesTravelAsFloatsRoundedToNearest() throws Exception {
        TrainingSample s = new TrainingSample(gradient(0), List.of(LabeledObject.of(new Box(0.1, 0.2, 10.3, 20.7), 1)), "x");
        Box back = TrainingBatchCodec.decode(TrainingBatchCodec.encode("s", 0, List.of(s), CLASSES, ImageFormat.rgb8(), CLOCK))
                .samples().get(0).objects().get(0).box();
        // (double) 0.1f etc., by the IEEE-754 float nearest to each decimal
        assertThat(back).isEqualTo(new Box(0.10000000149011612, 0.20000000298023224, 10.300000190734863, 20.700000762939453));
    }

    @Test
    void difficultAndCrowdFlagsTravelWithTheirObjects() throws Exception {
        // boxes of k / 4 px (exact floats) so each decoded object equals its encoded one, area = box area
        List<LabeledObject> objects = List.of(
                new LabeledObject(new Box(1, 2, 10, 20), 0, true, false, 162),
                new LabeledObject(new Box(4, 4, 30.5, 40), 1, false, true, 954),
                new LabeledObject(new Box(0, 0, 8, 8), 2, true, true, 64),
                LabeledObject.of(new Box(20, 20, 24.25, 30), 0));
        TrainingBatch b = TrainingBatchCodec.encode("voc/0", 0, List.of(new TrainingSample(gradient(0), objects, "000012")),
                CLASSES, ImageFormat.rgb8(), CLOCK);
        assertThat(b.getImages(0).getBoxesList()).extracting(ObjectBox::getDifficult).containsExactly(true, false, true, false);
        assertThat(b.getImages(0).getBoxesList()).extracting(ObjectBox::getCrowd).containsExactly(false, true, true, false);
        DecodedBatch d = TrainingBatchCodec.decode(TrainingBatch.parseFrom(b.toByteArray()));
        assertThat(d.samples().get(0).objects()).isEqualTo(objects);
    }

    @Test
    void aRecordWrittenBeforeTheFlagsExistedDecodesAsNeitherDifficultNorCrowd() throws Exception {
        // an ObjectBox of the old schema: fields 1-5 only (a proto3 bool at its default is not on the wire)
        TrainingBatch old = valid(ImageFormat.png());
        ObjectBox first = old.getImages(0).getBoxes(0);
        assertThat(first.toByteArray()).hasSize(20); // four floats of tag + 4 bytes each; class_id 0 is not written
        LabeledObject o = TrainingBatchCodec.decode(old).samples().get(0).objects().get(0);
        assertThat(o.difficult()).isFalse();
        assertThat(o.crowd()).isFalse();
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
        }
        return (double) sum / a.rgb().length;
    }

    // ---- invalid records: one mutation each, exact reason and kind ----

    private static void assertInvalid(UnaryOperator<TrainingBatch.Builder> mutation, Kind kind, String reason) {
        TrainingBatch bad = mutation.apply(valid(ImageFormat.png()).toBuilder()).build();
        assertThatThrownBy(() -> TrainingBatchCodec.decode(bad))
                .isInstanceOfSatisfying(InvalidBatchException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessage(reason);
    }

    private static ObjectBox box(float x1, float y1, float x2, float y2, int classId) {
        return ObjectBox.newBuilder().setX1Px(x1).setY1Px(y1).setX2Px(x2).setY2Px(y2).setClassId(classId).build();
    }

    @Test
    void rejectsUnknownSchemaVersions() {
        assertInvalid(b -> b.setSchemaVersion(2), Kind.SCHEMA_VERSION, "unknown schema_version 2, this reader knows 1");
        assertInvalid(b -> b.clearSchemaVersion(), Kind.SCHEMA_VERSION, "unknown schema_version 0, this reader knows 1");
        assertInvalid(b -> b.setSchemaVersion(-1), Kind.SCHEMA_VERSION,
                "unknown schema_version 4294967295, this reader knows 1");
    }

    @Test
    void rejectsMissingIdentity() {
        assertInvalid(b -> b.setSourceId(""), Kind.IDENTITY, "empty source_id");
        assertInvalid(b -> b.setSequenceNumber(-1), Kind.IDENTITY,
                "sequence_number 18446744073709551615 exceeds 9223372036854775807");
    }

    @Test
    void rejectsInputSizesOutside1To4096() {
        assertInvalid(b -> b.setInputWidthPx(0), Kind.INPUT_SIZE, "input size 0x48 px, each side must be in 1..4096");
        assertInvalid(b -> b.setInputHeightPx(4097), Kind.INPUT_SIZE, "input size 64x4097 px, each side must be in 1..4096");
        assertInvalid(b -> b.setInputWidthPx(-1), Kind.INPUT_SIZE,
                "input size 4294967295x48 px, each side must be in 1..4096");
    }

    @Test
    void rejectsEmptyOrBlankClassNames() {
        assertInvalid(b -> b.clearClassNames(), Kind.CLASS_NAMES, "no class names");
        assertInvalid(b -> b.setClassNames(1, " "), Kind.CLASS_NAMES, "class name 1 is blank");
    }

    @Test
    void rejectsABatchWithoutImages() {
        assertInvalid(b -> b.clearImages(), Kind.NO_IMAGES, "no images");
    }

    @Test
    void rejectsUnknownEncodings() {
        assertInvalid(b -> b.setImages(1, b.getImages(1).toBuilder().setEncoding(ImageEncoding.IMAGE_ENCODING_UNSPECIFIED)),
                Kind.ENCODING, "image 1: encoding IMAGE_ENCODING_UNSPECIFIED is not one of IMAGE_ENCODING_JPEG, "
                        + "IMAGE_ENCODING_PNG, IMAGE_ENCODING_RGB8");
        assertInvalid(b -> b.setImages(0, b.getImages(0).toBuilder().setEncodingValue(7)),
                Kind.ENCODING, "image 0: encoding value 7 is not one of IMAGE_ENCODING_JPEG, "
                        + "IMAGE_ENCODING_PNG, IMAGE_ENCODING_RGB8");
    }

    @Test
    void rejectsImageBytesThatDoNotDecode() {
        assertInvalid(b -> b.setImages(1, b.getImages(1).toBuilder().setData(ByteString.copyFromUtf8("garbage"))),
                Kind.IMAGE_DATA, "image 1: IMAGE_ENCODING_PNG data does not decode: cannot decode image 7 bytes: "
                        + "not a known image format");
        assertInvalid(b -> b.setImages(0, b.getImages(0).toBuilder()
                        .setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8).setData(ByteString.copyFrom(new byte[100]))),
                Kind.IMAGE_DATA, "image 0: IMAGE_ENCODING_RGB8 data has 100 bytes, expected 9216 for 64x48");
    }

    @Test
    void rejectsImagesWhoseDecodedSizeDiffersFromTheDeclaredInputSize() {
        ByteString png32 = ByteString.copyFrom(ImageCodec.encode(RgbImage.blank(32, 32), ImageCodec.Format.PNG, 1f));
        assertInvalid(b -> b.setImages(1, b.getImages(1).toBuilder().setData(png32)),
                Kind.IMAGE_SIZE, "image 1: decoded size 32x32 differs from the declared input size 64x48");
    }

    @Test
    void rejectsNonFiniteEmptyAndOutsideBoxesNamingImageAndBox() {
        assertInvalid(b -> b.setImages(0, b.getImages(0).toBuilder().setBoxes(1, box(Float.NaN, 0, 5, 5, 0))),
                Kind.BOX, "image 0, box 1: non-finite coordinate in Box[x1=NaN, y1=0.0, x2=5.0, y2=5.0]");
        assertInvalid(b -> b.setImages(0, b.getImages(0).toBuilder().setBoxes(0, box(3, 1, 3, 9, 0))),
                Kind.BOX, "image 0, box 0: zero or negative size 0.0x8.0 in Box[x1=3.0, y1=1.0, x2=3.0, y2=9.0]");
        // Box.invalidReason tolerates half a pixel: 64.5 is in, 64.75 is out
        assertInvalid(b -> b.setImages(1, b.getImages(1).toBuilder().addBoxes(box(10, 10, 64.5f, 20, 0))
                        .addBoxes(box(10, 10, 64.75f, 20, 0))),
                Kind.BOX, "image 1, box 1: outside the 64.0x48.0 image: Box[x1=10.0, y1=10.0, x2=64.75, y2=20.0]");
    }

    @Test
    void rejectsClassIdsOutOfRange() {
        assertInvalid(b -> b.setImages(0, b.getImages(0).toBuilder().setBoxes(1, box(1, 1, 5, 5, 3))),
                Kind.CLASS_ID, "image 0, box 1: class_id 3 out of range, the batch has 3 class names");
        assertInvalid(b -> b.setImages(0, b.getImages(0).toBuilder().setBoxes(0, box(1, 1, 5, 5, -1))),
                Kind.CLASS_ID, "image 0, box 0: class_id 4294967295 out of range, the batch has 3 class names");
    }

    // ---- encode applies the same rules ----

    @Test
    void encodeRejectsWhatDecodeWouldReject() {
        TrainingSample small = new TrainingSample(RgbImage.blank(32, 32), List.of(), "small");
        assertThatThrownBy(() -> TrainingBatchCodec.encode("s", 3, List.of(samples().get(0), small), CLASSES,
                ImageFormat.png(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot encode batch 3 of 's': image 1: decoded size 32x32 differs from the declared input size 64x48");
        TrainingSample badClass = new TrainingSample(gradient(0), List.of(LabeledObject.of(new Box(1, 1, 5, 5), 3)), "c");
        assertThatThrownBy(() -> TrainingBatchCodec.encode("s", 0, List.of(badClass), CLASSES, ImageFormat.png(), CLOCK))
                .hasMessage("cannot encode batch 0 of 's': image 0, box 0: class_id 3 out of range, the batch has 3 class names");
        assertThatThrownBy(() -> TrainingBatchCodec.encode("s", 0, List.of(), CLASSES, ImageFormat.png(), CLOCK))
                .hasMessage("cannot encode batch 0 of 's': no images");
        assertThatThrownBy(() -> TrainingBatchCodec.encode("s", 0, samples(), List.of(), ImageFormat.png(), CLOCK))
                .hasMessage("cannot encode batch 0 of 's': no class names");
    }

    @Test
    void encodeValidatesTheFloatRoundedBox() {
        // 1 + 1e-9 is a valid width in double but rounds to the same float as 1: an empty box on the wire
        TrainingSample s = new TrainingSample(gradient(0), List.of(LabeledObject.of(new Box(1, 1, 1 + 1e-9, 11), 0)), "f");
        assertThatThrownBy(() -> TrainingBatchCodec.encode("s", 0, List.of(s), CLASSES, ImageFormat.rgb8(), CLOCK))
                .hasMessage("cannot encode batch 0 of 's': image 0, box 0: zero or negative size 0.0x10.0 in "
                        + "Box[x1=1.0, y1=1.0, x2=1.0, y2=11.0]");
    }

    @Test
    void jpegQualityMustBe1To100() {
        assertThatThrownBy(() -> ImageFormat.jpeg(0)).hasMessage("JPEG quality must be in 1..100, got 0");
        assertThatThrownBy(() -> ImageFormat.jpeg(101)).hasMessage("JPEG quality must be in 1..100, got 101");
    }

    // ---- size estimate ----

    @Test
    void rgb8EstimateIsAnUpperBoundWithinTenPercent() {
        // by hand: image = 9216 data + 6 + 2 + 66 origin + 2 * 32 boxes + 6 = 9360; 4 images + 40 + 66 + 2048
        long estimate = TrainingBatchCodec.estimatedBytes(4, 64, 48, ImageFormat.rgb8(), 2);
        assertThat(estimate).isEqualTo(39_594);
        List<TrainingSample> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(new TrainingSample(gradient(i), samples().get(0).objects(), "scene#" + i));
        }
        int actual = TrainingBatchCodec.encode("cam/loader-0", 123, four, CLASSES, ImageFormat.rgb8(), CLOCK)
                .getSerializedSize();
        assertThat(actual).isBetween((int) (0.9 * estimate), (int) estimate);
    }

    @Test
    void pngEstimateBoundsEvenIncompressibleNoise() {
        RgbImage noise = RgbImage.blank(64, 48);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        rnd.nextBytes(noise.rgb());
        int actual = TrainingBatchCodec.encode("s", 0, List.of(new TrainingSample(noise, List.of(), "n")), CLASSES,
                ImageFormat.png(), CLOCK).getSerializedSize();
        assertThat(actual).isGreaterThan(64 * 48 * 3); // noise does not compress
        assertThat(TrainingBatchCodec.estimatedBytes(1, 64, 48, ImageFormat.png(), 0)).isGreaterThanOrEqualTo(actual);
    }

    @Test
    void jpegEstimateBoundsAugmentedSyntheticBatchesWithinAFactorOfFour() throws Exception {
        for (int size : new int[] {128, 416}) {
            SyntheticSampleSource src = SyntheticSampleSource.augmented(new MixedScenes(3),
                    new Augmenter(AugmentConfig.yolov2(size, size)), 3, 0);
            List<TrainingSample> batch = new ArrayList<>();
            int maxBoxes = 0;
            for (int i = 0; i < 16; i++) {
                batch.add(src.sample(i));
                maxBoxes = Math.max(maxBoxes, batch.get(i).objects().size());
            }
            int actual = TrainingBatchCodec.encode("synthetic:mixed/loader-0", 0, batch, src.classNames(),
                    ImageFormat.jpeg(90), CLOCK).getSerializedSize();
            long estimate = TrainingBatchCodec.estimatedBytes(16, size, size, ImageFormat.jpeg(90), maxBoxes);
            assertThat(estimate).as("%d px", size).isBetween((long) actual, 4L * actual);
        }
    }
}
