package dev.abo.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small real image files for reader tests. */
final class TestImages {

    private TestImages() {
    }

    /** Writes a black {@code width x height} image in the format of the file's extension (jpg or png). */
    static Path write(Path file, int width, int height) {
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1);
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
