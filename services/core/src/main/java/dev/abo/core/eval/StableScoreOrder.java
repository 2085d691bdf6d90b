package dev.abo.core.eval;

/**
 * Indices sorted by score, highest first, ties kept in index order: what
 * {@code numpy.argsort(-score, kind='mergesort')} returns. A merge sort on primitives; compares with
 * {@code <} so that 0.0 and -0.0 tie as they do in numpy.
 */
final class StableScoreOrder {
    private StableScoreOrder() {
    }

    /** The positions {@code 0..n-1} ordered by {@code score[i]} descending, stable. */
    static int[] descending(double[] score, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        sort(idx, score);
        return idx;
    }

    /** Sorts {@code idx} in place by {@code score[idx[i]]} descending, stable. */
    static void sort(int[] idx, double[] score) {
        int n = idx.length;
        if (n < 2) {
            return;
        }
        int[] buf = new int[n];
        int[] src = idx;
        int[] dst = buf;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    // take from the right run only if strictly higher: keeps ties in order
                    dst[k++] = score[src[j]] > score[src[i]] ? src[j++] : src[i++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != idx) {
            System.arraycopy(src, 0, idx, 0, n);
        }
    }
}
