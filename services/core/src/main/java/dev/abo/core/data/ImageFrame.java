package dev.abo.core.data;

import dev.abo.core.geometry.Box;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The pixel frame an annotated image ends up in: its final size and the per-axis factors from the
 * annotation's declared size to it (see {@link ReadOptions.Coordinates}).
 */
record ImageFrame(ImageSize size, double sx, double sy) {

    /** The frame of an image whose annotation declares {@code declared} and whose pixels are in {@code imageFile}. */
    static ImageFrame of(ImageSize declared, Path imageFile, ReadOptions.Coordinates coordinates)
            throws DatasetFormatException {
        if (coordinates == ReadOptions.Coordinates.DECLARED) {
            return new ImageFrame(declared, 1, 1);
        }
        Optional<ImageSize> onDisk = ImageHeader.size(imageFile);
        if (onDisk.isEmpty() || onDisk.get().equals(declared)) {
            return new ImageFrame(declared, 1, 1);
        }
        ImageSize file = onDisk.get();
        return new ImageFrame(file, (double) file.width() / declared.width(), (double) file.height() / declared.height());
    }

    /** The box moved from the declared frame into this one. */
    Box apply(Box box) {
        return sx == 1 && sy == 1 ? box : box.scale(sx, sy);
    }

    /** The object moved from the declared frame into this one (unchanged when the factors are 1). */
    LabeledObject apply(LabeledObject object) {
        return sx == 1 && sy == 1 ? object : object.scale(sx, sy);
    }
}
