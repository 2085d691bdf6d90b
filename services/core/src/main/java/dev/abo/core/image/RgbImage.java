package dev.abo.core.image;

import java.util.Arrays;

/**
 * An 8-bit RGB image held in memory: interleaved {@code r, g, b} bytes, row-major, no padding. This
 * is the pixel type that synthetic scenes, augmentation and the detector's input encoding share.
 *
 * @param width  width in pixels
 * @param height height in pixels
 * @param rgb    {@code width * height * 3} bytes; pixel (x, y) channel c is at {@code (y * width + x) * 3 + c}
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes for " + width + "x" + height
                    + " RGB, got " + rgb.length);
        }
    }

    /** A black image. */
    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    /** Channel {@code c} (0 = r, 1 = g, 2 = b) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** Sets channel {@code c} of pixel (x, y) to {@code v}, clamped to 0..255. */
    public void set(int x, int y, int c, int v) {
        rgb[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
    }

    /** A deep copy. */
    public RgbImage copy() {
        return new RgbImage(width, height, rgb.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
