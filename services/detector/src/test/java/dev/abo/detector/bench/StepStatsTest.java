package dev.abo.detector.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class StepStatsTest {

    @Test
    void medianP90MeanAndMinByHand() {
        // sorted: 1 2 3 4 5; median the 3rd; p90 nearest rank ceil(0.9 * 5) = 5th = 5; mean 15 / 5
        StepStats s = StepStats.of(new double[] {5, 1, 3, 2, 4});
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.median()).isEqualTo(3.0);
        assertThat(s.p90()).isEqualTo(5.0);
        assertThat(s.mean()).isEqualTo(3.0);
        assertThat(s.min()).isEqualTo(1.0);

        // 1..20: median (10 + 11) / 2; p90 = ceil(18.0) = 18th smallest = 18
        double[] twenty = new double[20];
        for (int i = 0; i < 20; i++) {
            twenty[i] = 20 - i;
        }
        StepStats t = StepStats.of(twenty);
        assertThat(t.median()).isEqualTo(10.5);
        assertThat(t.p90()).isEqualTo(18.0);
        assertThat(t.mean()).isEqualTo(10.5);
    }

    @Test
    void ratioIsMedianOverMedian() {
        StepStats a = StepStats.of(new double[] {808, 812, 1900});   // one outlier does not move the median
        StepStats b = StepStats.of(new double[] {790, 800, 805});
        assertThat(a.medianRatioTo(b)).isCloseTo(812.0 / 800.0, within(1e-15));
        // the paper's numbers as a sanity check of the direction: learnable / original = 1.0158
        assertThat(StepStats.of(new double[] {815.4}).medianRatioTo(StepStats.of(new double[] {802.7})))
                .isCloseTo(1.0158, within(1e-4));
    }

    @Test
    void pairedRatioIsTheMedianOfPerRoundRatios() {
        // rounds: 110/100 = 1.1, 300/200 = 1.5 (a noisy round), 99/100 = 0.99 -> median 1.1
        assertThat(TrainBenchmark.pairedRatio(new double[] {110, 300, 99}, new double[] {100, 200, 100}))
                .isCloseTo(1.1, within(1e-15));
    }

    @Test
    void rejectsEmptyAndNonFiniteTimings() {
        assertThatThrownBy(() -> StepStats.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepStats.of(new double[] {1, Double.NaN})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundRobinSplitsStepsEvenlyAndRotatesTheOrder() {
        RoundRobinPlan p = new RoundRobinPlan(10, 4, 3);
        assertThat(List.of(p.stepsInRound(0), p.stepsInRound(1), p.stepsInRound(2), p.stepsInRound(3)))
                .containsExactly(3, 3, 2, 2);
        assertThat(p.order(0)).containsExactly(0, 1, 2);
        assertThat(p.order(1)).containsExactly(1, 2, 0);
        assertThat(p.order(2)).containsExactly(2, 0, 1);
        assertThat(p.order(3)).containsExactly(0, 1, 2);
        // the defaults: 20 steps in 5 rounds of 4
        RoundRobinPlan d = new RoundRobinPlan(20, 5, 3);
        for (int r = 0; r < 5; r++) {
            assertThat(d.stepsInRound(r)).isEqualTo(4);
        }
        // more rounds than steps: one step per round, no empty rounds
        RoundRobinPlan few = new RoundRobinPlan(2, 5, 3);
        assertThat(few.rounds()).isEqualTo(2);
        assertThat(few.stepsInRound(0) + few.stepsInRound(1)).isEqualTo(2);
    }
}
