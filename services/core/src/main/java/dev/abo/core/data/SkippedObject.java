package dev.abo.core.data;

import java.nio.file.Path;

/**
 * An object a lenient read left out, with where it was and why.
 *
 * @param file     the annotation file
 * @param location the object (as in {@link DatasetFormatException} messages)
 * @param kind     the class of problem, for counting
 * @param reason   the problem in words, with the offending values
 */
public record SkippedObject(Path file, String location, Kind kind, String reason) {

    /** Classes of object problems. */
    public enum Kind {
        /** The box is non-finite, empty or inverted, or outside the image. */
        INVALID_BOX,
        /** The class name (VOC) or category id (COCO) is not one of the dataset's classes. */
        UNKNOWN_CLASS
    }

    /** {@code "<file>: <location>: <reason>"}, the message strict mode would have thrown. */
    public String message() {
        return DatasetFormatException.format(file, location, reason);
    }
}
