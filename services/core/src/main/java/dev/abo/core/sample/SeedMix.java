package dev.abo.core.sample;

/** Mixes a seed with an index into an independent 64-bit seed (the SplitMix64 finaliser). */
final class SeedMix {
    private SeedMix() {
    }

    static long of(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
