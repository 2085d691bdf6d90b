package dev.abo.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.geometry.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {

    private static final Box A = new Box(0, 0, 10, 10);

    @Test
    void otherClassIsNeverSuppressed() {
        // B vs A: inter 9*10 = 90, union 100 + 100 - 90 = 110 -> IoU 0.818 > 0.45: B (class 0) goes.
        // C is the same box as B but class 1: kept.
        Box b = new Box(1, 0, 11, 10);
        Detection a0 = new Detection(A, 0, 0.9);
        Detection b0 = new Detection(b, 0, 0.8);
        Detection c1 = new Detection(b, 1, 0.7);
        assertThat(Nms.paper().apply(List.of(c1, b0, a0))).containsExactly(a0, c1);
    }

    @Test
    void iouExactlyAtThresholdSurvives() {
        // A vs 10x4.5 box inside it: inter 45, union 100 + 45 - 45 = 100 -> IoU 45/100 == 0.45: not > 0.45, kept.
        // A vs 10x4.6: IoU 0.46 > 0.45: suppressed.
        Detection a = new Detection(A, 0, 0.9);
        Detection at = new Detection(new Box(0, 0, 10, 4.5), 0, 0.8);
        Detection above = new Detection(new Box(0, 0, 10, 4.6), 0, 0.7);
        assertThat(Nms.paper().apply(List.of(a, at, above))).containsExactly(a, at);
    }

    @Test
    void suppressedBoxesDoNotSuppress() {
        // B vs A: 80/120 = 0.667 -> suppressed. C vs A: 60/140 = 0.43 -> kept, although C vs B is 80/120.
        Detection a = new Detection(A, 0, 0.9);
        Detection b = new Detection(new Box(2, 0, 12, 10), 0, 0.8);
        Detection c = new Detection(new Box(4, 0, 14, 10), 0, 0.7);
        assertThat(Nms.paper().apply(List.of(a, b, c))).containsExactly(a, c);
    }

    @Test
    void topKKeepsTheHighestScoresInOrder() {
        // five disjoint boxes; top 3 by score: 0.9, 0.8, 0.5
        List<Detection> in = List.of(at(0, 0.5), at(20, 0.9), at(40, 0.1), at(60, 0.8), at(80, 0.3));
        assertThat(new Nms(0.45, 3, 0).apply(in)).containsExactly(in.get(1), in.get(3), in.get(0));
    }

    @Test
    void equalScoresKeepInputOrder() {
        // identical boxes, same class, same score: the first in input order wins; disjoint ties stay in order
        Detection first = new Detection(A, 0, 0.5);
        Detection second = new Detection(A, 0, 0.5);
        Detection other = at(50, 0.5);
        List<Detection> out = Nms.paper().apply(List.of(other, first, second));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isSameAs(other);
        assertThat(out.get(1)).isSameAs(first);
    }

    @Test
    void scoreThresholdIsInclusive() {
        List<Detection> in = List.of(at(0, 0.3), at(20, 0.29), at(40, 0.31));
        assertThat(Nms.paper().withMinScore(0.3).apply(in)).containsExactly(in.get(2), in.get(0));
    }

    @Test
    void emptyInGivesEmptyOut() {
        assertThat(Nms.paper().apply(List.of())).isEmpty();
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> new Nms(1.5, 300, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("iouThreshold must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Nms(0.45, 0, 0)).hasMessage("topK must be >= 1, got 0");
        assertThatThrownBy(() -> new Nms(0.45, 300, Double.NaN)).hasMessage("minScore must be in [0, 1], got NaN");
        assertThatThrownBy(() -> Nms.paper().apply(List.of(new Detection(A, 0, Double.NaN))))
                .hasMessage("candidate score must be finite: Detection[box=Box[x1=0.0, y1=0.0, x2=10.0, y2=10.0], "
                        + "classId=0, score=NaN]");
    }

    private static Detection at(double x, double score) {
        return new Detection(new Box(x, 0, x + 10, 10), 0, score);
    }
}
