package dev.abo.core.synth;

import java.util.random.RandomGenerator;

/** The colour of one pixel of a figure being painted. */
@FunctionalInterface
interface Shader {

    /** Packed {@code 0xRRGGBB} colour of pixel {@code (x, y)}; channels outside 0..255 are not allowed. */
    int rgb(int x, int y);

    /** One colour everywhere ({@link Canvas} fills such figures row by row without per-pixel calls). */
    static Shader flat(int rgb) {
        return new Flat(rgb);
    }

    /** The shader of {@link #flat(int)}. */
    record Flat(int color) implements Shader {
        @Override
        public int rgb(int x, int y) {
            return color;
        }
    }

    /** Packs three channels, each clamped to 0..255. */
    static int pack(double r, double g, double b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    /** A packed colour with every channel multiplied by {@code f} (clamped). */
    static int scale(int rgb, double f) {
        return pack((rgb >> 16 & 0xFF) * f, (rgb >> 8 & 0xFF) * f, (rgb & 0xFF) * f);
    }

    /** A packed colour with every channel moved by a uniform integer in {@code [-amp, amp]} (clamped). */
    static int jitter(int rgb, int amp, RandomGenerator rng) {
        return pack((rgb >> 16 & 0xFF) + rng.nextInt(-amp, amp + 1), (rgb >> 8 & 0xFF) + rng.nextInt(-amp, amp + 1),
                (rgb & 0xFF) + rng.nextInt(-amp, amp + 1));
    }

    /** Rounds half up and clamps to 0..255. */
    private static int clamp(double v) {
        int i = (int) (v + 0.5);
        return v < 0 ? 0 : i > 255 ? 255 : i;
    }
}
