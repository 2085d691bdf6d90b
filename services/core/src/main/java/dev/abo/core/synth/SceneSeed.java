package dev.abo.core.synth;

/**
 * Derives the seed of one scene from a generator seed and a scene index, so that scene {@code i}
 * never depends on scenes {@code 0 .. i-1}. Both inputs go through the SplitMix64 finaliser, so
 * neighbouring seeds and neighbouring indices give unrelated streams.
 */
final class SceneSeed {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SceneSeed() {
    }

    /** The seed of scene {@code index} of a generator seeded with {@code seed}. */
    static long of(long seed, long index) {
        return mix64(mix64(seed) + GOLDEN_GAMMA * (index + 1));
    }

    /** The SplitMix64 output function (Steele, Lea, Flood 2014): a bijection on 64-bit values. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Checks that a scene index is usable. */
    static long requireIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("scene index must be >= 0, got " + index);
        }
        return index;
    }
}
