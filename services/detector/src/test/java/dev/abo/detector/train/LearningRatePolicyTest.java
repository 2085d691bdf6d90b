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
}
