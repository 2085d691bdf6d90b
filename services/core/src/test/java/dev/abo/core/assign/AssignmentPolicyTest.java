package dev.abo.core.assign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AssignmentPolicyTest {

    private static final AnchorSet TWO = AnchorSet.of(List.of(new Shape(10, 10), new Shape(20, 20)), 64);

    @Test
    void tieInShapeIouGoesToLowestIndexWhenHard() {
        // gt 10x20 vs anchor 10x10: inter 10*10 = 100, union 100 + 200 - 100 = 200 -> IoU 0.5
        // gt 10x20 vs anchor 20x20: inter 10*20 = 200, union 400 + 200 - 200 = 400 -> IoU 0.5: a tie
        Shape gt = new Shape(10, 20);
        assertThat(AssignmentPolicy.hard().responsibleAnchor(gt, TWO)).isZero();
        assertThat(AssignmentPolicy.hard().weights(gt, TWO)).containsExactly(1.0, 0.0);
    }

    @Test
    void sizeFormsOverwriteAReusedOutputWithTheShapeFormsValues() {
        double[] aw = {10, 20};
        double[] ah = {10, 20};
        double[] out = {7, -3};                                   // stale values of an earlier call
        AssignmentPolicy.hard().weights(10, 20, aw, ah, out);     // the tie of the test above
        assertThat(out).containsExactly(1.0, 0.0);
        AssignmentPolicy.soft(AssignmentDistance.IOU, 1).weights(10, 10, aw, ah, out);   // softIouWeightsMatchHandSoftmax
        assertThat(out).containsExactly(new double[] {0.679178699175393, 0.320821300824607}, within(1e-15));
        // 18x18: IoU 100/324 with 10x10, 324/400 with 20x20
        assertThat(AssignmentPolicy.hard().responsibleAnchor(18, 18, aw, ah)).isOne();
        assertThat(AssignmentPolicy.hard().responsibleAnchor(18, 18, aw, ah))
                .isEqualTo(AssignmentPolicy.hard().responsibleAnchor(new Shape(18, 18), TWO));
    }

    @Test
    void tieGivesEqualSoftWeights() {
        // both distances are 1 - 0.5 = 0.5, so softmax(-0.5, -0.5) = (1/2, 1/2) at any T > 0
        double[] w = AssignmentPolicy.soft(AssignmentDistance.IOU, 1).weights(new Shape(10, 20), TWO);
        assertThat(w).containsExactly(0.5, 0.5);
    }

    @Test
    void softIouWeightsMatchHandSoftmax() {
        // gt 10x10: IoU with 10x10 is 1 (dist 0), with 20x20 is 100/400 = 0.25 (dist 0.75).
        // T = 1: w0 = 1/(1 + e^-0.75) = 0.679178699175393, w1 = e^-0.75/(1 + e^-0.75) = 0.320821300824607
        // T = 0.5: the gap becomes 1.5: w0 = 1/(1 + e^-1.5) = 0.8175744761936437
        Shape gt = new Shape(10, 10);
        assertThat(AssignmentPolicy.soft(AssignmentDistance.IOU, 1).weights(gt, TWO))
                .containsExactly(new double[] {0.679178699175393, 0.320821300824607}, within(1e-15));
        assertThat(AssignmentPolicy.soft(AssignmentDistance.IOU, 0.5).weights(gt, TWO))
                .containsExactly(new double[] {0.8175744761936437, 0.1824255238063563}, within(1e-15));
    }

    @Test
    void threeAnchorSoftmaxMatchesHandValues() {
        // anchors 10,20,40 squares; gt 20x20: IoU 100/400, 1, 400/1600 -> dist 0.75, 0, 0.75.
        // T = 0.75 -> logits -1, 0, -1: w1 = 1/(1 + 2/e) = 0.5761168847658291, w0 = w2 = e^-1 w1 = 0.21194155761708544
        AnchorSet three = AnchorSet.of(List.of(new Shape(10, 10), new Shape(20, 20), new Shape(40, 40)), 64);
        double[] w = AssignmentPolicy.soft(AssignmentDistance.IOU, 0.75).weights(new Shape(20, 20), three);
        assertThat(w).containsExactly(new double[] {0.21194155761708544, 0.5761168847658291, 0.21194155761708544},
                within(1e-15));
    }

    @Test
    void logL2DistanceAndSoftmax() {
        // gt 10x40: LOG_L2 to 10x10 = 0 + ln(4)^2 = 4 ln2^2; to 20x20 = ln2^2 + ln2^2 = 2 ln2^2 -> anchor 1.
        // (IoU agrees: 100/400 = 0.25 vs 200/600 = 1/3.)
        // T = 2 ln2^2: gap (4 - 2) ln2^2 / T = 1 -> w1 = 1/(1 + e^-1) = 0.7310585786300049
        Shape gt = new Shape(10, 40);
        double ln2sq = Math.log(2) * Math.log(2);
        assertThat(AssignmentDistance.LOG_L2.between(TWO.get(0), gt)).isCloseTo(4 * ln2sq, within(1e-14));
        assertThat(AssignmentDistance.LOG_L2.between(TWO.get(1), gt)).isCloseTo(2 * ln2sq, within(1e-14));
        assertThat(AssignmentPolicy.hard(AssignmentDistance.LOG_L2).responsibleAnchor(gt, TWO)).isEqualTo(1);
        assertThat(AssignmentPolicy.soft(AssignmentDistance.LOG_L2, 2 * ln2sq).weights(gt, TWO))
                .containsExactly(new double[] {0.2689414213699951, 0.7310585786300049}, within(1e-14));
    }

    @Test
    void zeroTemperatureIsExactlyHardAndWeightsSumToOne() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            AnchorSet anchors = AnchorSet.of(List.of(randomShape(rnd), randomShape(rnd), randomShape(rnd),
                    randomShape(rnd), randomShape(rnd)), 416);
            Shape gt = randomShape(rnd);
            for (AssignmentDistance d : AssignmentDistance.values()) {
                double[] hard = AssignmentPolicy.hard(d).weights(gt, anchors);
                assertThat(AssignmentPolicy.soft(d, 0).weights(gt, anchors)).containsExactly(hard);
                double[] soft = AssignmentPolicy.soft(d, rnd.nextDouble(0.01, 3)).weights(gt, anchors);
                assertThat(sum(soft)).isCloseTo(1.0, within(1e-12));
                // the responsible anchor is the soft argmax too
                int k = AssignmentPolicy.soft(d, 1).responsibleAnchor(gt, anchors);
                assertThat(hard[k]).isEqualTo(1.0);
                for (double v : soft) {
                    assertThat(v).isLessThanOrEqualTo(soft[k]);
                }
            }
        }
    }

    @Test
    void tinyTemperatureStaysFinite() {
        // dist gap 0.75 / 1e-310 overflows to +inf; the stable softmax gives exp(-inf) = 0, not NaN
        double[] w = AssignmentPolicy.soft(AssignmentDistance.IOU, 1e-310).weights(new Shape(10, 10), TWO);
        assertThat(w).containsExactly(1.0, 0.0);
    }

    @Test
    void constructorRejectsBadTemperatures() {
        assertThatThrownBy(() -> AssignmentPolicy.soft(AssignmentDistance.IOU, -0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be finite and >= 0, got -0.1");
        assertThatThrownBy(() -> AssignmentPolicy.soft(AssignmentDistance.IOU, Double.NaN))
                .hasMessage("temperature must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> AssignmentPolicy.soft(AssignmentDistance.IOU, Double.POSITIVE_INFINITY))
                .hasMessage("temperature must be finite and >= 0, got Infinity");
        assertThatThrownBy(() -> new AssignmentPolicy(AssignmentMode.HARD, AssignmentDistance.IOU, 1))
                .hasMessage("a HARD policy has no temperature, got 1.0");
    }

    private static Shape randomShape(SplittableRandom rnd) {
        return new Shape(rnd.nextDouble(1, 400), rnd.nextDouble(1, 400));
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }
}
