package dev.abo.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.geometry.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionCandidatesTest {

    private static final Box B0 = new Box(0, 0, 10, 10);
    private static final Box B1 = new Box(5, 5, 15, 15);

    @Test
    void scoreIsObjectnessTimesClassProbability() {
        // box 0: 0.5 * [0.2, 0.8] = [0.1, 0.4]; box 1: 0.8 * [0.5, 0.5] = [0.4, 0.4] (all exact in binary)
        // minScore 0.2 drops (box 0, class 0); order is box then class
        List<Detection> c = DetectionCandidates.fromAnchors(List.of(B0, B1), new double[] {0.5, 0.8},
                new double[][] {{0.2, 0.8}, {0.5, 0.5}}, 0.2);
        assertThat(c).containsExactly(new Detection(B0, 1, 0.4), new Detection(B1, 0, 0.4), new Detection(B1, 1, 0.4));
    }

    @Test
    void lengthsMustAgree() {
        assertThatThrownBy(() -> DetectionCandidates.fromAnchors(List.of(B0), new double[] {0.5, 0.8},
                new double[][] {{1}}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boxes, objectness and class probabilities differ in length: 1, 2, 1");
        assertThatThrownBy(() -> DetectionCandidates.fromAnchors(List.of(B0, B1), new double[] {0.5, 0.8},
                new double[][] {{1, 0}, {1}}, 0))
                .hasMessage("box 1 has 1 class probabilities, box 0 has 2");
    }
}
