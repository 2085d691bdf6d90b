package dev.abo.core.synth;

import dev.abo.core.random.IndexedSeed;

/**
 * Scene seeds: {@link IndexedSeed} applied to a generator seed and a scene index, plus the index check.
 */
final class SceneSeed {

    private SceneSeed() {
    }

    /** The seed of scene {@code index} of a generator seeded with {@code seed} ({@link IndexedSeed}). */
    static long of(long seed, long index) {
        return IndexedSeed.of(seed, index);
    }

    /** The SplitMix64 output function. */
    static long mix64(long z) {
        return IndexedSeed.mix64(z);
    }

    /** Checks that a scene index is usable. */
    static long requireIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("scene index must be >= 0, got " + index);
        }
        return index;
    }
}
