package dev.abo.core.augment;

/**
 * Exact conversions between 8-bit RGB and HSV (hexcone model, as darknet's {@code rgb_to_hsv} and
 * {@code hsv_to_rgb}), written for per-pixel loops: no allocation, no division, no
 * {@code Math.min(double, double)} (which costs as much as the whole conversion).
 *
 * <p>Units: r, g, b and v in 8-bit levels {@code [0, 255]} (v as a double, not rounded); hue in sectors
 * {@code h6 = 6 * hue} in {@code [0, 6)} (0 = red, 2 = green, 4 = blue); saturation {@code [0, 1]},
 * {@code (max - min) / max}, 0 for black and greys, whose hue is 0.
 */
final class Hsv {

    /** {@code 1 / i} for the 8-bit levels (index 0 unused). */
    private static final double[] RECIPROCAL = new double[256];

    static {
        for (int i = 1; i < 256; i++) {
            RECIPROCAL[i] = 1.0 / i;
        }
    }

    private Hsv() {
    }

    /** {@code out = (h6, s, v)} of the colour {@code (r, g, b)}, each 0..255. */
    static void fromRgb(int r, int g, int b, double[] out) {
        int max = Math.max(r, Math.max(g, b));
        int delta = max - Math.min(r, Math.min(g, b));
        double h6 = 0;
        if (delta > 0) {
            double inv = RECIPROCAL[delta];
            h6 = r == max ? (g - b) * inv : g == max ? 2 + (b - r) * inv : 4 + (r - g) * inv;
            if (h6 < 0) {
                h6 += 6;
            }
        }
        out[0] = h6;
        out[1] = delta * RECIPROCAL[max];
        out[2] = max;
    }

    /**
     * The colour {@code (h6, s, v)}, with {@code h6} in {@code [0, 6)}, s in [0, 1] and v in [0, 255],
     * rounded to the nearest levels into {@code rgb[o..o+2]}.
     */
    static void toRgb(double h6, double s, double v, byte[] rgb, int o) {
        if (h6 >= 6) { // 6 is red again
            h6 -= 6;
        }
        int sector = (int) h6;
        double f = h6 - sector;
        byte max = level(v);
        byte min = level(v * (1 - s));
        switch (sector) {
            case 0 -> put(rgb, o, max, level(v * (1 - s * (1 - f))), min);
            case 1 -> put(rgb, o, level(v * (1 - s * f)), max, min);
            case 2 -> put(rgb, o, min, max, level(v * (1 - s * (1 - f))));
            case 3 -> put(rgb, o, min, level(v * (1 - s * f)), max);
            case 4 -> put(rgb, o, level(v * (1 - s * (1 - f))), min, max);
            default -> put(rgb, o, max, min, level(v * (1 - s * f)));
        }
    }

    private static byte level(double x) {
        return (byte) (int) (x + 0.5);
    }

    private static void put(byte[] rgb, int o, byte r, byte g, byte b) {
        rgb[o] = r;
        rgb[o + 1] = g;
        rgb[o + 2] = b;
    }
}
