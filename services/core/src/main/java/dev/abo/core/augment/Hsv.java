package dev.abo.core.augment;

/**
 * Exact conversions between RGB and HSV (hexcone model, as darknet's {@code rgb_to_hsv}).
 *
 * <p>Units: r, g, b and v in 8-bit levels {@code [0, 255]} (as doubles, not rounded); hue as a fraction
 * of the hue circle {@code [0, 1)} (0 = red, 1/3 = green, 2/3 = blue); saturation {@code [0, 1]}
 * ({@code (max - min) / max}, 0 for black and greys, whose hue is 0). Results go into a caller's
 * 3-element array so that per-pixel loops allocate nothing.
 */
final class Hsv {

    private Hsv() {
    }

    /** {@code out = (h, s, v)} of the colour {@code (r, g, b)}. */
    static void fromRgb(double r, double g, double b, double[] out) {
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double delta = max - min;
        double h = 0;
        double s = 0;
        if (delta > 0) {
            s = delta / max;
            if (r == max) {
                h = (g - b) / delta;
            } else if (g == max) {
                h = 2 + (b - r) / delta;
            } else {
                h = 4 + (r - g) / delta;
            }
            h /= 6;
            if (h < 0) {
                h += 1;
            }
        }
        out[0] = h;
        out[1] = s;
        out[2] = max;
    }

    /** {@code out = (r, g, b)} of the colour {@code (h, s, v)}; h is taken modulo 1. */
    static void toRgb(double h, double s, double v, double[] out) {
        if (s == 0) {
            out[0] = v;
            out[1] = v;
            out[2] = v;
            return;
        }
        double h6 = (h - Math.floor(h)) * 6;
        int sector = (int) h6;
        if (sector == 6) {
            sector = 0;
        }
        double f = h6 - sector;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        switch (sector) {
            case 0 -> set(out, v, t, p);
            case 1 -> set(out, q, v, p);
            case 2 -> set(out, p, v, t);
            case 3 -> set(out, p, q, v);
            case 4 -> set(out, t, p, v);
            default -> set(out, v, p, q);
        }
    }

    private static void set(double[] out, double r, double g, double b) {
        out[0] = r;
        out[1] = g;
        out[2] = b;
    }
}
