package dev.abo.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.assign.AssignmentDistance;
import dev.abo.core.assign.AssignmentPolicy;
import dev.abo.core.geometry.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorStatisticsTest {

    // anchors a0 = 10x10, a1 = 20x40
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(10, 10), new Shape(20, 40)), 64);

    /*
     * Hand table (IoU of centred shapes; x = min over w,h of min(r, 1/r), r = gt/anchor; 1/thr = 0.25):
     *   box      | IoU a0            | IoU a1              | x a0            | x a1                  | best IoU | hard | x > 0.25
     *   10x10    | 1                 | 100/800 = 0.125     | 1               | min(.5, .25) = 0.25   | 1        | a0   | 1 anchor
     *   20x20    | 100/400 = 0.25    | 400/800 = 0.5       | 0.5             | min(1, .5) = 0.5      | 0.5      | a1   | 2 anchors
     *   20x40    | 100/800 = 0.125   | 1                   | min(.5,.25)=.25 | 1                     | 1        | a1   | 1 anchor
     *   100x5    | 50/550 = 1/11     | 100/1200 = 1/12     | min(.1,.5) = .1 | min(.2,.125) = 0.125  | 1/11     | a0   | 0 anchors
     * avg best IoU = (1 + 0.5 + 1 + 1/11) / 4 = 57/88; bpr = 3/4 (100x5 has best x 0.125 <= 0.25);
     * anchors per target = (1 + 2 + 1 + 0) / 4 = 1; matched = [2, 2].
     * The x = 0.25 entries sit exactly on 1/thr and do not count (strict >, as YOLOv5).
     */
    private static final List<Shape> BOXES =
            List.of(new Shape(10, 10), new Shape(20, 20), new Shape(20, 40), new Shape(100, 5));

    @Test
    void handDerivedStatistics() {
        AnchorStatistics s = AnchorStatistics.of(BOXES, ANCHORS);
        assertThat(s.boxCount()).isEqualTo(4);
        assertThat(s.averageBestIou()).isCloseTo(57.0 / 88, within(1e-15));
        assertThat(s.bestPossibleRecall()).isEqualTo(0.75);
        assertThat(s.anchorsPerTarget()).isEqualTo(1.0);
        assertThat(s.matchedPerAnchor()).containsExactly(2, 2);
        assertThat(s.ratioThreshold()).isEqualTo(4.0);
    }

    @Test
    void matchingFollowsThePolicyAndItsTieRule() {
        // anchors 10x10 and 20x20, box 10x20: IoU 0.5 with both -> tie -> lowest index (a0).
        // Under LOG_L2 the distances are also equal (ln2^2 each) -> a0 again.
        AnchorSet square = AnchorSet.of(List.of(new Shape(10, 10), new Shape(20, 20)), 64);
        List<Shape> one = List.of(new Shape(10, 20));
        assertThat(AnchorStatistics.of(one, square).matchedPerAnchor()).containsExactly(1, 0);
        // box 10x25 against the hand table's anchors: IoU a0 = 100/250 = 0.4, a1 = 250/800 = 0.3125 -> a0;
        // LOG_L2: a0 = 0 + ln(2.5)^2 = 0.840, a1 = ln(0.5)^2 + ln(0.625)^2 = 0.480 + 0.221 = 0.701 -> a1
        List<Shape> tall = List.of(new Shape(10, 25));
        assertThat(AnchorStatistics.of(tall, ANCHORS).matchedPerAnchor()).containsExactly(1, 0);
        assertThat(AnchorStatistics.of(tall, ANCHORS, AssignmentPolicy.hard(AssignmentDistance.LOG_L2), 4)
                .matchedPerAnchor()).containsExactly(0, 1);
    }

    @Test
    void looserThresholdRecallsMore() {
        // thr 10 -> 1/thr = 0.1: 100x5 has best x 0.125 > 0.1 -> all 4 recalled;
        // pairs with x > 0.1: 10x10: 2, 20x20: 2, 20x40: 2, 100x5: 1 (0.1 itself is not > 0.1) -> 7/4
        AnchorStatistics s = AnchorStatistics.of(BOXES, ANCHORS, AssignmentPolicy.hard(), 10);
        assertThat(s.bestPossibleRecall()).isEqualTo(1.0);
        assertThat(s.anchorsPerTarget()).isEqualTo(1.75);
    }

    @Test
    void perfectAnchorsScoreOne() {
        AnchorStatistics s = AnchorStatistics.of(List.of(new Shape(10, 10), new Shape(20, 40)), ANCHORS);
        assertThat(s.averageBestIou()).isEqualTo(1.0);
        assertThat(s.bestPossibleRecall()).isEqualTo(1.0);
        assertThat(s.matchedPerAnchor()).containsExactly(1, 1);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> AnchorStatistics.of(List.of(), ANCHORS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no ground-truth shapes to measure");
        assertThatThrownBy(() -> AnchorStatistics.of(BOXES, ANCHORS, AssignmentPolicy.hard(), 0.5))
                .hasMessage("ratioThreshold must be finite and >= 1, got 0.5");
    }
}
