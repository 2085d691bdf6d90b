package dev.abo.core.augment;

import dev.abo.core.image.RgbImage;

/**
 * One colour change in HSV space, applied to every pixel: hue rotated by {@code hue}, saturation and
 * value multiplied by {@code saturation} and {@code exposure}. Geometry (and so every box) is unchanged.
 *
 * <p>Saturation and value are clamped to their range in HSV space before converting back, which keeps
 * the hue of over-exposed colours; darknet instead clamps each RGB channel after conversion (hue
 * drifts toward the primaries). Channels round to the nearest level.
 *
 * @param hue        hue rotation, fraction of the hue circle (0.5 = complementary colour)
 * @param saturation saturation factor, > 0
 * @param exposure   value (brightness) factor, > 0
 */
public record HsvShift(double hue, double saturation, double exposure) {

    /** No change. */
    public static final HsvShift IDENTITY = new HsvShift(0, 1, 1);

    public HsvShift {
        if (!Double.isFinite(hue)) {
            throw new IllegalArgumentException("hue must be finite, got " + hue);
        }
        if (!(saturation > 0 && Double.isFinite(saturation))) {
            throw new IllegalArgumentException("saturation must be finite and > 0, got " + saturation);
        }
        if (!(exposure > 0 && Double.isFinite(exposure))) {
            throw new IllegalArgumentException("exposure must be finite and > 0, got " + exposure);
        }
        hue += 0.0; // -0.0 -> 0.0, so a zero rotation equals IDENTITY
    }

    /** A changed copy of the image. */
    public RgbImage apply(RgbImage image) {
        RgbImage copy = image.copy();
        applyInPlace(copy);
        return copy;
    }

    /** Changes the image's pixels in place. */
    public void applyInPlace(RgbImage image) {
        if (hue == 0 && saturation == 1 && exposure == 1) {
            return;
        }
        byte[] rgb = image.rgb();
        double turn6 = (hue - Math.floor(hue)) * 6; // rotation in hue sectors, [0, 6)
        double[] hsv = new double[3];
        for (int o = 0; o < rgb.length; o += 3) {
            Hsv.fromRgb(rgb[o] & 0xFF, rgb[o + 1] & 0xFF, rgb[o + 2] & 0xFF, hsv);
            double h6 = hsv[0] + turn6;
            if (h6 >= 6) {
                h6 -= 6;
            }
            double s = hsv[1] * saturation;
            if (s > 1) {
                s = 1;
            }
            double v = hsv[2] * exposure;
            if (v > 255) {
                v = 255;
            }
            Hsv.toRgb(h6, s, v, rgb, o);
        }
    }
}
