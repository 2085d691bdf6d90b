package dev.abo.core.synth;

import java.util.random.RandomGenerator;

/**
 * The photometric jitter of one camera frame: a global contrast and brightness change about mid
 * grey, then independent uniform noise on every channel of every pixel.
 */
final class CameraNoise {
    private CameraNoise() {
    }

    /**
     * Applies {@code v' = (v - 128) * contrast + 128 + brightness + n}, {@code n} uniform in
     * {@code [-amplitude, amplitude]}, clamped to 0..255, to every byte of {@code rgb} in place.
     *
     * @param contrast   gain about 128 (1 = unchanged)
     * @param brightness offset in 8-bit levels
     * @param amplitude  noise amplitude in 8-bit levels, 0..1000
     */
    static void apply(byte[] rgb, double contrast, double brightness, int amplitude, RandomGenerator rng) {
        if (amplitude < 0 || amplitude > 1000) {
            throw new IllegalArgumentException("noise amplitude must be 0..1000, got " + amplitude);
        }
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (int) Math.round((v - 128) * contrast + 128 + brightness);
        }
        long levels = 2L * amplitude + 1;
        for (int p = 0; p < rgb.length; p += 3) {
            long bits = rng.nextLong();
            for (int c = 0; c < 3; c++) {
                // 21 random bits per channel, scaled to 0 .. 2 * amplitude
                int n = (int) (((bits >>> (21 * c)) & 0x1FFFFFL) * levels >>> 21) - amplitude;
                int v = lut[rgb[p + c] & 0xFF] + n;
                rgb[p + c] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
    }
}
