package dev.abo.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCodecTest {

    private static RgbImage noise(int w, int h, long seed) {
        byte[] b = new byte[w * h * 3];
        new SplittableRandom(seed).nextBytes(b);
        return new RgbImage(w, h, b);
    }

    @Test
    void encodingAndDecodingUseNoTemporaryFiles(@TempDir Path dir) throws IOException {
        // ImageIO's stream methods buffer through a temporary file in its cache directory by default; pointed at a
        // directory that no longer exists they fail. The codec streams through memory and does not notice.
        RgbImage img = noise(31, 17, 9);
        byte[] reference = ImageCodec.encode(img, ImageCodec.Format.PNG, 1f);
        Path cache = Files.createDirectory(dir.resolve("imageio-cache"));
        java.io.File before = ImageIO.getCacheDirectory();
        boolean useCache = ImageIO.getUseCache();
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(cache.toFile());
        Files.delete(cache);
        try {
            assertThatThrownBy(() -> ImageIO.read(new java.io.ByteArrayInputStream(reference)))
                    .as("the premise: ImageIO's own stream read needs the cache directory");
            assertThat(ImageCodec.encode(img, ImageCodec.Format.PNG, 1f)).isEqualTo(reference);
            assertThat(ImageCodec.decode(reference)).isEqualTo(img);
            byte[] jpeg = ImageCodec.encode(img, ImageCodec.Format.JPEG, 0.9f);
            assertThat(ImageCodec.decode(jpeg).width()).isEqualTo(31);
        } finally {
            ImageIO.setCacheDirectory(before);
            ImageIO.setUseCache(useCache);
        }
    }

    @Test
    void pngIsALosslessRoundTrip() throws IOException {
        RgbImage img = noise(37, 23, 5);
        assertThat(ImageCodec.decode(ImageCodec.encode(img, ImageCodec.Format.PNG, 1f))).isEqualTo(img);
    }

    @Test
    void channelOrderIsRgb() throws IOException {
        RgbImage img = RgbImage.blank(2, 1);
        img.set(0, 0, 0, 255); // pure red at (0,0)
        img.set(1, 0, 2, 200); // blue at (1,0)
        BufferedImage awt = ImageCodec.toBufferedImage(img);
        assertThat(awt.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(awt.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000C8);
        assertThat(ImageCodec.fromBufferedImage(awt)).isEqualTo(img);
    }

    @Test
    void greyAndIntRgbImagesAreExpanded() {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(2, 1, 0, 77);
        RgbImage g = ImageCodec.fromBufferedImage(grey);
        assertThat(new int[] {g.get(2, 1, 0), g.get(2, 1, 1), g.get(2, 1, 2)}).containsExactly(77, 77, 77);
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80102030);
        RgbImage a = ImageCodec.fromBufferedImage(argb);
        assertThat(new int[] {a.get(0, 0, 0), a.get(0, 0, 1), a.get(0, 0, 2)}).containsExactly(0x10, 0x20, 0x30);
    }

    @Test
    void jpegKeepsSizeAndIsCloseOnASmoothImage(@TempDir Path dir) throws IOException {
        RgbImage img = RgbImage.blank(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.set(x, y, 0, 2 * x);
                img.set(x, y, 1, 3 * y);
                img.set(x, y, 2, 100);
            }
        }
        Path f = dir.resolve("a.jpg");
        Files.write(f, ImageCodec.encode(img, ImageCodec.Format.JPEG, 0.95f));
        RgbImage back = ImageCodec.read(f);
        assertThat(back.width()).isEqualTo(64);
        assertThat(back.height()).isEqualTo(48);
        int worst = 0;
        for (int i = 0; i < img.rgb().length; i++) {
            worst = Math.max(worst, Math.abs((img.rgb()[i] & 0xFF) - (back.rgb()[i] & 0xFF)));
        }
        assertThat(worst).isLessThanOrEqualTo(12);
        assertThat(ImageIO.read(f.toFile()).getWidth()).isEqualTo(64);
    }

    @Test
    void garbageIsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.jpg");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> ImageCodec.read(f)).isInstanceOf(IOException.class)
                .hasMessage("cannot decode image " + f + ": not a known image format");
        assertThatThrownBy(() -> ImageCodec.decode(new byte[0])).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot decode image 0 bytes");
    }
}
