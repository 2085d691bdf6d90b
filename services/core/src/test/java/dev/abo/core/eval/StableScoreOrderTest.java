package dev.abo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StableScoreOrderTest {

    @Test
    void equalsAStableLibrarySortOnRandomScoresWithManyTies() {
        // independent method: java.util.Arrays.sort on boxed indices is a stable merge sort (TimSort)
        SplittableRandom rnd = new SplittableRandom(9);
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
            double[] score = new double[n];
            for (int i = 0; i < n; i++) {
                score[i] = rnd.nextInt(10) / 10.0; // at most 10 distinct values: many ties
            }
            Integer[] expected = new Integer[n];
            Arrays.setAll(expected, i -> i);
            Arrays.sort(expected, Comparator.comparingDouble((Integer i) -> -score[i]));
            assertThat(StableScoreOrder.descending(score, n)).containsExactly(Arrays.stream(expected).mapToInt(i -> i).toArray());
        }
    }

    @Test
    void zeroAndNegativeZeroTieAsInNumpy() {
        // numpy's argsort(-s) treats -0.0 == 0.0; a Double.compare based sort would not
        assertThat(StableScoreOrder.descending(new double[] {-0.0, 0.0, 0.5, 0.0}, 4)).containsExactly(2, 0, 1, 3);
    }
}
