package dev.abo.loader;

import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A VOC folder of one grey JPEG written for a test: {@code Annotations/<id>.xml} and {@code JPEGImages/<id>.jpg}
 * with the objects given as VOC XML {@code <object>} elements (1-based inclusive corners).
 */
final class TinyVoc {

    private TinyVoc() {
    }

    /** One {@code <object>} of class {@code name}: corners as VOC writes them, {@code <difficult>} 0 or 1. */
    static String object(String name, int xmin, int ymin, int xmax, int ymax, boolean difficult) {
        return "<object><name>" + name + "</name><difficult>" + (difficult ? 1 : 0) + "</difficult><bndbox><xmin>" + xmin
                + "</xmin><ymin>" + ymin + "</ymin><xmax>" + xmax + "</xmax><ymax>" + ymax + "</ymax></bndbox></object>";
    }

    /** Writes image {@code id} of {@code width x height} with {@code objects} under {@code dir}; returns {@code dir}. */
    static Path write(Path dir, String id, int width, int height, String... objects) throws IOException {
        Files.createDirectories(dir.resolve("Annotations"));
        Files.createDirectories(dir.resolve("JPEGImages"));
        RgbImage grey = RgbImage.blank(width, height);
        java.util.Arrays.fill(grey.rgb(), (byte) 100);
        Files.write(dir.resolve("JPEGImages").resolve(id + ".jpg"), ImageCodec.encode(grey, ImageCodec.Format.JPEG, 0.9f));
        Files.writeString(dir.resolve("Annotations").resolve(id + ".xml"), "<annotation><filename>" + id
                + ".jpg</filename><size><width>" + width + "</width><height>" + height + "</height><depth>3</depth></size>"
                + String.join("", objects) + "</annotation>");
        return dir;
    }
}
