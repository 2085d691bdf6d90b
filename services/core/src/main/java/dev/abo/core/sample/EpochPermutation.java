package dev.abo.core.sample;

import dev.abo.core.random.IndexedSeed;

import java.util.SplittableRandom;

/**
 * The visiting order of an epoch: a Fisher-Yates shuffle of {@code 0..n-1} seeded by
 * {@code (seed, epoch)}. Keeps the last epoch's permutation, since a trainer asks for consecutive
 * positions of the same epoch. Thread-safe.
 */
final class EpochPermutation {
    private final int n;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cached;

    EpochPermutation(int n, long seed) {
        this.n = n;
        this.seed = seed;
    }

    /** The element at position {@code k} of epoch {@code epoch}. */
    synchronized int at(long epoch, int k) {
        if (epoch != cachedEpoch) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            SplittableRandom rnd = new SplittableRandom(IndexedSeed.of(seed, -1 - epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            cached = p;
            cachedEpoch = epoch;
        }
        return cached[k];
    }
}
