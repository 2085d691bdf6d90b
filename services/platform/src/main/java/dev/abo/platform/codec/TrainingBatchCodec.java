package dev.abo.platform.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.TrainingSample;
import dev.abo.platform.codec.InvalidBatchException.Kind;
import dev.abo.proto.training.v1.ImageEncoding;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.proto.training.v1.TrainingImage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapper between {@code training.v1.TrainingBatch} and the domain ({@link TrainingSample}:
 * {@link RgbImage} + {@link LabeledObject} boxes in input pixels).
 *
 * <p>{@link #decode} validates everything a trainer relies on and throws {@link
 * InvalidBatchException} with the exact reason otherwise; {@link #encode} applies the same rules to
 * its input (throwing {@link IllegalArgumentException} with the same reason), so a loader never writes
 * a record the trainer would dead-letter. Boxes travel as 32-bit floats: a decoded coordinate is
 * the encoded one rounded to the nearest float, and encode validates the rounded box. An object's
 * {@code difficult} (VOC) and {@code crowd} (COCO {@code iscrowd}) flags travel with it (a record written before
 * the proto had them decodes as neither); the declared area does not: a decoded object's area is its box's.
 *
 * <p>Image and box indices in messages are 0-based, as in the repeated fields.
 */
public final class TrainingBatchCodec {

    /** The {@code schema_version} this code writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;
    /** Largest input width or height, pixels. */
    public static final int MAX_INPUT_SIDE_PX = 4096;

    private TrainingBatchCodec() {
    }

    /**
     * One batch record.
     *
     * @param samples    at least one, all of the same size (the input size), boxes in its pixels
     * @param classNames non-empty; every object's class id indexes it
     * @param clock      gives {@code created_unix_ms}
     * @throws IllegalArgumentException with the reason decode would give
     */
    public static TrainingBatch encode(String sourceId, long sequenceNumber, List<TrainingSample> samples,
                                       List<String> classNames, ImageFormat format, Clock clock) {
        String prefix = "cannot encode batch " + sequenceNumber + " of '" + sourceId + "': ";
        if (sourceId.isEmpty()) {
            throw new IllegalArgumentException(prefix + "empty source_id");
        }
        if (sequenceNumber < 0) {
            throw new IllegalArgumentException(prefix + "negative sequence number");
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(prefix + "no images");
        }
        int w = samples.get(0).image().width();
        int h = samples.get(0).image().height();
        require(prefix, inputSizeReason(w, h));
        require(prefix, classNamesReason(classNames));
        TrainingBatch.Builder batch = TrainingBatch.newBuilder()
                .setSchemaVersion(SCHEMA_VERSION)
                .setSourceId(sourceId)
                .setSequenceNumber(sequenceNumber)
                .setInputWidthPx(w)
                .setInputHeightPx(h)
                .addAllClassNames(classNames)
                .setCreatedUnixMs(clock.millis());
        for (int i = 0; i < samples.size(); i++) {
            TrainingSample s = samples.get(i);
            RgbImage im = s.image();
            if (im.width() != w || im.height() != h) {
                throw new IllegalArgumentException(prefix + sizeReason(i, im.width(), im.height(), w, h));
            }
            TrainingImage.Builder out = TrainingImage.newBuilder()
                    .setEncoding(format.encoding())
                    .setData(pixels(im, format))
                    .setOrigin(s.origin());
            for (int b = 0; b < s.objects().size(); b++) {
                LabeledObject o = s.objects().get(b);
                ObjectBox box = ObjectBox.newBuilder()
                        .setX1Px((float) o.box().x1()).setY1Px((float) o.box().y1())
                        .setX2Px((float) o.box().x2()).setY2Px((float) o.box().y2())
                        .setClassId(o.classId())
                        .setDifficult(o.difficult())
                        .setCrowd(o.crowd())
                        .build();
                require(prefix, boxReason(i, b, toBox(box), o.classId(), classNames.size(), w, h));
                out.addBoxes(box);
            }
            batch.addImages(out);
        }
        return batch.build();
    }

    /** The samples of a batch record, or the exact reason it is unusable. */
    public static DecodedBatch decode(TrainingBatch batch) throws InvalidBatchException {
        if (batch.getSchemaVersion() != SCHEMA_VERSION) {
            throw new InvalidBatchException(Kind.SCHEMA_VERSION, "unknown schema_version "
                    + Integer.toUnsignedString(batch.getSchemaVersion()) + ", this reader knows " + SCHEMA_VERSION);
        }
        if (batch.getSourceId().isEmpty()) {
            throw new InvalidBatchException(Kind.IDENTITY, "empty source_id");
        }
        if (batch.getSequenceNumber() < 0) {
            throw new InvalidBatchException(Kind.IDENTITY, "sequence_number "
                    + Long.toUnsignedString(batch.getSequenceNumber()) + " exceeds " + Long.MAX_VALUE);
        }
        int w = batch.getInputWidthPx();
        int h = batch.getInputHeightPx();
        String sizeProblem = inputSizeReason(w, h);
        if (sizeProblem != null) {
            throw new InvalidBatchException(Kind.INPUT_SIZE, sizeProblem);
        }
        List<String> classNames = batch.getClassNamesList();
        String namesProblem = classNamesReason(classNames);
        if (namesProblem != null) {
            throw new InvalidBatchException(Kind.CLASS_NAMES, namesProblem);
        }
        if (batch.getImagesCount() == 0) {
            throw new InvalidBatchException(Kind.NO_IMAGES, "no images");
        }
        List<TrainingSample> samples = new ArrayList<>(batch.getImagesCount());
        for (int i = 0; i < batch.getImagesCount(); i++) {
            TrainingImage ti = batch.getImages(i);
            RgbImage image = pixels(i, ti, w, h);
            List<LabeledObject> objects = new ArrayList<>(ti.getBoxesCount());
            for (int b = 0; b < ti.getBoxesCount(); b++) {
                ObjectBox ob = ti.getBoxes(b);
                Box box = toBox(ob);
                String geometry = box.invalidReason(w, h);
                if (geometry != null) {
                    throw new InvalidBatchException(Kind.BOX, at(i, b) + geometry);
                }
                String cls = classIdReason(i, b, ob.getClassId(), classNames.size());
                if (cls != null) {
                    throw new InvalidBatchException(Kind.CLASS_ID, cls);
                }
                objects.add(new LabeledObject(box, ob.getClassId(), ob.getDifficult(), ob.getCrowd(), box.area()));
            }
            samples.add(new TrainingSample(image, objects, ti.getOrigin()));
        }
        return new DecodedBatch(batch.getSourceId(), batch.getSequenceNumber(), w, h, classNames, samples,
                Instant.ofEpochMilli(batch.getCreatedUnixMs()));
    }

    /**
     * A planning estimate of the serialized size of a batch, bytes, before making it (to check a
     * configuration against the topic's {@code max.message.bytes}). Exact image payload for RGB8; an
     * upper bound of PNG's (deflate cannot expand by more than its block headers); for JPEG a
     * bits-per-pixel budget by quality, measured on noisy synthetic scenes and on VOC photos (see
     * {@code TrainingBatchCodecTest}), which real images stay under but that is not a guarantee.
     * Allows {@code boxesPerImage} boxes per image, 64-character origins, 64-character source id and
     * up to 2 KiB of class names.
     */
    public static long estimatedBytes(int batchSize, int width, int height, ImageFormat format, int boxesPerImage) {
        if (batchSize < 1 || boxesPerImage < 0) {
            throw new IllegalArgumentException("need batchSize >= 1 and boxesPerImage >= 0, got " + batchSize
                    + ", " + boxesPerImage);
        }
        long pixels = (long) width * height;
        long raw = pixels * 3;
        long data;
        if (format instanceof ImageFormat.Jpeg j) {
            data = JPEG_HEADER_BYTES + (long) Math.ceil(pixels * jpegBitsPerPixel(j.quality()) / 8);
        } else if (format instanceof ImageFormat.Png) {
            data = raw + height + raw / 1000 + 1024;
        } else {
            data = raw;
        }
        // one ObjectBox: 4 floats (tag + 4 bytes each) + class_id (tag + <= 5-byte varint) + difficult and crowd
        // (tag + 1 byte each, when set) + its tag and length (2)
        long boxes = boxesPerImage * 32L;
        // TrainingImage: data tag + length (<= 6), encoding (2), origin (2 + 64), boxes; its own tag + length (<= 6)
        long image = data + 6 + 2 + 66 + boxes + 6;
        // schema, sequence, sizes, created: <= 40; source id 66; class names 2048
        return batchSize * image + 40 + 66 + 2048;
    }

    /** Header bytes of an ImageIO JPEG (SOI, JFIF, quantisation and Huffman tables, SOF, SOS, EOI): 8x8 grey is 631. */
    private static final long JPEG_HEADER_BYTES = 700;

    /**
     * Compressed bits per pixel allowed for JPEG at a quality: about 1.3x the largest of 40 augmented
     * samples each of synthetic:mixed and VOC2007 at 128 and 416 px (measured maxima: q50 1.6, q75 2.4,
     * q90 3.9, q95 5.2, q100 9.0 bits per pixel).
     */
    static double jpegBitsPerPixel(int quality) {
        if (quality >= 100) {
            return 12;
        }
        if (quality > 95) {
            return 10;
        }
        if (quality > 90) {
            return 7;
        }
        if (quality > 75) {
            return 5;
        }
        if (quality > 50) {
            return 3.5;
        }
        return 2.5;
    }

    private static ByteString pixels(RgbImage image, ImageFormat format) {
        if (format instanceof ImageFormat.Jpeg j) {
            return UnsafeByteOperations.unsafeWrap(ImageCodec.encode(image, ImageCodec.Format.JPEG, j.quality() / 100f));
        }
        if (format instanceof ImageFormat.Png) {
            return UnsafeByteOperations.unsafeWrap(ImageCodec.encode(image, ImageCodec.Format.PNG, 1f));
        }
        return ByteString.copyFrom(image.rgb());
    }

    private static RgbImage pixels(int i, TrainingImage ti, int w, int h) throws InvalidBatchException {
        RgbImage image;
        switch (ti.getEncoding()) {
            case IMAGE_ENCODING_JPEG, IMAGE_ENCODING_PNG -> {
                try {
                    image = ImageCodec.decode(ti.getData().toByteArray());
                } catch (IOException e) {
                    throw new InvalidBatchException(Kind.IMAGE_DATA, "image " + i + ": " + ti.getEncoding()
                            + " data does not decode: " + e.getMessage(), e);
                }
            }
            case IMAGE_ENCODING_RGB8 -> {
                long expected = (long) w * h * 3;
                if (ti.getData().size() != expected) {
                    throw new InvalidBatchException(Kind.IMAGE_DATA, "image " + i + ": IMAGE_ENCODING_RGB8 data has "
                            + ti.getData().size() + " bytes, expected " + expected + " for " + w + "x" + h);
                }
                image = new RgbImage(w, h, ti.getData().toByteArray());
            }
            default -> throw new InvalidBatchException(Kind.ENCODING, "image " + i + ": encoding "
                    + (ti.getEncoding() == ImageEncoding.UNRECOGNIZED
                    ? "value " + ti.getEncodingValue() : ti.getEncoding().name())
                    + " is not one of IMAGE_ENCODING_JPEG, IMAGE_ENCODING_PNG, IMAGE_ENCODING_RGB8");
        }
        if (image.width() != w || image.height() != h) {
            throw new InvalidBatchException(Kind.IMAGE_SIZE, sizeReason(i, image.width(), image.height(), w, h));
        }
        return image;
    }

    private static Box toBox(ObjectBox b) {
        return new Box(b.getX1Px(), b.getY1Px(), b.getX2Px(), b.getY2Px());
    }

    private static void require(String prefix, String reason) {
        if (reason != null) {
            throw new IllegalArgumentException(prefix + reason);
        }
    }

    private static String inputSizeReason(int w, int h) {
        if (w < 1 || h < 1 || w > MAX_INPUT_SIDE_PX || h > MAX_INPUT_SIDE_PX) {
            return "input size " + Integer.toUnsignedString(w) + "x" + Integer.toUnsignedString(h)
                    + " px, each side must be in 1.." + MAX_INPUT_SIDE_PX;
        }
        return null;
    }

    private static String classNamesReason(List<String> names) {
        if (names.isEmpty()) {
            return "no class names";
        }
        for (int c = 0; c < names.size(); c++) {
            if (names.get(c).isBlank()) {
                return "class name " + c + " is blank";
            }
        }
        return null;
    }

    private static String sizeReason(int i, int actualW, int actualH, int w, int h) {
        return "image " + i + ": decoded size " + actualW + "x" + actualH + " differs from the declared input size "
                + w + "x" + h;
    }

    private static String boxReason(int i, int b, Box box, int classId, int classes, int w, int h) {
        String geometry = box.invalidReason(w, h);
        return geometry != null ? at(i, b) + geometry : classIdReason(i, b, classId, classes);
    }

    private static String classIdReason(int i, int b, int classId, int classes) {
        if (classId < 0 || classId >= classes) {
            return at(i, b) + "class_id " + Integer.toUnsignedString(classId) + " out of range, the batch has "
                    + classes + " class names";
        }
        return null;
    }

    private static String at(int i, int b) {
        return "image " + i + ", box " + b + ": ";
    }
}
