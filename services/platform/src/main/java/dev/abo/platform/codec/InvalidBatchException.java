package dev.abo.platform.codec;

import java.util.Objects;

/**
 * A {@code TrainingBatch} record that must not be trained on. The message is the exact reason, naming
 * the image and box (0-based, as in the repeated fields) where there is one; the consumer writes it
 * into the dead-letter header and counts the record under {@link #kind()}.
 */
public final class InvalidBatchException extends Exception {

    /** What is wrong, as a low-cardinality label for counting. */
    public enum Kind {
        /** {@code schema_version} is not one this reader knows. */
        SCHEMA_VERSION,
        /** {@code source_id} is empty or {@code sequence_number} does not fit a signed long. */
        IDENTITY,
        /** The input width or height is 0 or above the limit. */
        INPUT_SIZE,
        /** {@code class_names} is empty or has an empty name. */
        CLASS_NAMES,
        /** The batch has no images. */
        NO_IMAGES,
        /** An image's encoding is unspecified or unknown. */
        ENCODING,
        /** An image's bytes do not decode. */
        IMAGE_DATA,
        /** An image decodes to another size than the batch declares. */
        IMAGE_SIZE,
        /** A box is non-finite, empty or outside the image. */
        BOX,
        /** A box's class_id does not index class_names. */
        CLASS_ID
    }

    private final Kind kind;

    public InvalidBatchException(Kind kind, String reason) {
        this(kind, reason, null);
    }

    public InvalidBatchException(Kind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
