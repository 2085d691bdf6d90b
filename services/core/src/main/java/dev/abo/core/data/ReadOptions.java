package dev.abo.core.data;

import java.util.Objects;

/**
 * How a reader treats invalid objects and which pixel frame its boxes are in.
 *
 * @param onInvalidObject what to do with an object whose box is invalid ({@link
 *                        dev.abo.core.geometry.Box#invalidReason}) or whose class is unknown;
 *                        malformed files always fail
 * @param coordinates     the pixel frame of the returned boxes and image sizes
 */
public record ReadOptions(OnInvalidObject onInvalidObject, Coordinates coordinates) {

    /** What a reader does with an invalid object. */
    public enum OnInvalidObject {
        /** Throw a {@link DatasetFormatException} naming the file, the object and the problem. */
        FAIL,
        /** Leave the object out and record it in {@link ReadReport#skipped()}. */
        SKIP
    }

    /** The pixel frame of the boxes a reader returns. */
    public enum Coordinates {
        /**
         * Pixels of the image file on disk: when its header size differs from the size the
         * annotation declares, boxes are scaled by file/declared per axis; when the file is missing,
         * the declared size is kept.
         */
        IMAGE_FILE,
        /** Pixels of the size the annotation declares, never rescaled (to evaluate detections made on the originals). */
        DECLARED
    }

    public ReadOptions {
        Objects.requireNonNull(onInvalidObject, "onInvalidObject");
        Objects.requireNonNull(coordinates, "coordinates");
    }

    /** The default: fail on any invalid object, boxes in pixels of the image file. */
    public static ReadOptions strict() {
        return new ReadOptions(OnInvalidObject.FAIL, Coordinates.IMAGE_FILE);
    }

    /** Skip (and count) invalid objects, boxes in pixels of the image file. */
    public static ReadOptions lenient() {
        return new ReadOptions(OnInvalidObject.SKIP, Coordinates.IMAGE_FILE);
    }

    /** These options with another coordinate frame. */
    public ReadOptions with(Coordinates frame) {
        return new ReadOptions(onInvalidObject, frame);
    }
}
