package dev.abo.core.random;

/**
 * Derives the seed of item {@code index} of a stream seeded with {@code seed}, so that item
 * {@code i} never depends on items {@code 0 .. i-1} (synthetic scenes, augmented samples, epoch
 * orders). Both inputs go through the SplitMix64 finaliser, so neighbouring seeds and neighbouring
 * indices give unrelated streams.
 */
public final class IndexedSeed {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private IndexedSeed() {
    }

    /** The seed of item {@code index} (any long, negative ones included) of a stream seeded with {@code seed}. */
    public static long of(long seed, long index) {
        return mix64(mix64(seed) + GOLDEN_GAMMA * (index + 1));
    }

    /** The SplitMix64 output function (Steele, Lea, Flood 2014): a bijection on 64-bit values. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
