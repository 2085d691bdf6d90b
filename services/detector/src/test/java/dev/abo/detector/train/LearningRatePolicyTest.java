package dev.abo.detector.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LearningRatePolicyTest {

    @Test
    void stepScheduleAt300StepsIsThePapersVocScheduleScaledByOneHundredth() {
        // VOC ranges end at 100, 15000, 27000, 30000 of 30000; x 300/30000 -> 1, 150, 270, 300
        assertThat(LearningRatePolicy.STEP.multiplier(0, 300)).isEqualTo(0.1);
        assertThat(LearningRatePolicy.STEP.multiplier(1, 300)).isEqualTo(1.0);
        assertThat(LearningRatePolicy.STEP.multiplier(149, 300)).isEqualTo(1.0);
        assertThat(LearningRatePolicy.STEP.multiplier(150, 300)).isEqualTo(0.1);
        assertThat(LearningRatePolicy.STEP.multiplier(269, 300)).isEqualTo(0.1);
        assertThat(LearningRatePolicy.STEP.multiplier(270, 300)).isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(LearningRatePolicy.CONSTANT.multiplier(270, 300)).isEqualTo(1.0);
    }

    @Test
    void shortRunsKeepEveryRangeAtLeastOneStepLong() {
        // 12 steps: scaled ends 0 (empty burn-in), 6, 11, 12 -> burn-in widened to 1 step
        assertThat(LearningRatePolicy.schedule(12).segments()).extracting(s -> s.end()).containsExactly(1L, 6L, 11L, 12L);
        assertThat(LearningRatePolicy.schedule(4).segments()).extracting(s -> s.end()).containsExactly(1L, 2L, 3L, 4L);
        assertThatThrownBy(() -> LearningRatePolicy.schedule(3)).hasMessageContaining("at least 4 steps");
    }

    @Test
    void burnInLateDropRampsOverFivePercentHoldsTheRateAndDropsTenfoldAt85Percent() {
        // 600 steps: burn-in 30 steps from 0.1 (step 0) by 0.9/30 per step; drop at round(0.85 * 600) = 510
        LearningRatePolicy p = LearningRatePolicy.LATE_DROP;
        assertThat(p.multiplier(0, 600)).isEqualTo(0.1);
        assertThat(p.multiplier(15, 600)).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(p.multiplier(29, 600)).isCloseTo(0.97, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(p.multiplier(30, 600)).isEqualTo(1.0);
        assertThat(p.multiplier(509, 600)).isEqualTo(1.0);
        assertThat(p.multiplier(510, 600)).isEqualTo(0.1);
        assertThat(p.multiplier(599, 600)).isEqualTo(0.1);
        // tiny runs: 2 steps = one at the full rate, one dropped; 1 step = the full rate
        assertThat(p.multiplier(0, 2)).isEqualTo(1.0);
        assertThat(p.multiplier(1, 2)).isEqualTo(0.1);
        assertThat(p.multiplier(0, 1)).isEqualTo(1.0);
    }
}
