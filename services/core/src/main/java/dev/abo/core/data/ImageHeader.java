package dev.abo.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads an image file's size from its header, without decoding the pixels. */
public final class ImageHeader {

    private ImageHeader() {
    }

    /**
     * The size of the image in {@code file}, or empty when there is no such file.
     *
     * @throws DatasetFormatException when the file exists but is not an image ImageIO can read
     */
    public static Optional<ImageSize> size(Path file) throws DatasetFormatException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DatasetFormatException(file, null, "not an image format ImageIO can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.of(new ImageSize(reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(file, null, "cannot read the image header: " + e.getMessage(), e);
        }
    }
}
