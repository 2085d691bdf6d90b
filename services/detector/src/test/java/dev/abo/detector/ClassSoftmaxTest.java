package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values worked out by hand: logits 0 and ln 3 share 1 : 3; strided reads and writes hit only their slots. */
class ClassSoftmaxTest {

    @Test
    void stridedLogitsGiveTheHandComputedSoftmax() {
        // two classes, stride 3: logits at 1 and 4, the other slots are other channels' values
        double[] values = {9, 0, 9, 9, Math.log(3), 9};
        assertThat(ClassSoftmax.logSumExp(values, 1, 3, 2)).isCloseTo(Math.log(4), within(1e-15));
        double[] out = {-1, -1, -1, -1};
        ClassSoftmax.probabilities(values, 1, 3, 2, out, 1, 2);
        assertThat(out).containsExactly(new double[] {-1, 0.25, -1, 0.75}, within(1e-15));
    }

    @Test
    void largeLogitsDoNotOverflowAndOneClassIsCertain() {
        double[] out = new double[2];
        ClassSoftmax.probabilities(new double[] {1000, 1000}, 0, 1, 2, out, 0, 1);
        assertThat(out).containsExactly(new double[] {0.5, 0.5}, within(1e-15));
        double[] one = {0};
        ClassSoftmax.probabilities(new double[] {-50}, 0, 1, 1, one, 0, 1);
        assertThat(one[0]).isEqualTo(1.0);
    }
}
