package dev.abo.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupScheduleTest {

    private final WarmupSchedule paper = WarmupSchedule.paper();

    @Test
    void temperatureFallsLinearlyFromTwoToZeroOverFifteenHundredSteps() {
        // T = 2 (1 - s/1500): s = 0 -> 2, 750 -> 1, 1499 -> 2/1500, 1500 and after -> 0
        assertThat(paper.temperature(0)).isEqualTo(2.0);
        assertThat(paper.temperature(750)).isEqualTo(1.0);
        assertThat(paper.temperature(1499)).isCloseTo(2.0 / 1500, within(1e-15));
        assertThat(paper.temperature(1500)).isEqualTo(0.0);
        assertThat(paper.temperature(1_000_000)).isEqualTo(0.0);
    }

    @Test
    void softIsActiveStrictlyBeforeW() {
        assertThat(paper.softActive(0)).isTrue();
        assertThat(paper.softActive(1499)).isTrue();
        assertThat(paper.softActive(1500)).isFalse();
    }

    @Test
    void lambdaFallsLinearlyFromOneToZero() {
        // lambda = 1 - s/1500: 0 -> 1, 750 -> 0.5, 1200 -> 0.2, 1500 -> 0
        assertThat(paper.lambda(0)).isEqualTo(1.0);
        assertThat(paper.lambda(750)).isEqualTo(0.5);
        assertThat(paper.lambda(1200)).isCloseTo(0.2, within(1e-15));
        assertThat(paper.lambda(1500)).isEqualTo(0.0);
        assertThat(paper.lambda(5000)).isEqualTo(0.0);
    }

    @Test
    void lambdaFloorHoldsAfterAndAtTheEndOfWarmup() {
        // floor 0.1: 750 -> 0.5 (above floor); 1400 -> max(0.1, 1/15 = 0.0667) = 0.1; 1500+ -> 0.1
        WarmupSchedule floored = paper.withLambdaAfter(0.1);
        assertThat(floored.lambda(750)).isEqualTo(0.5);
        assertThat(floored.lambda(1400)).isEqualTo(0.1);
        assertThat(floored.lambda(1500)).isEqualTo(0.1);
        assertThat(floored.lambda(99_999)).isEqualTo(0.1);
        assertThat(floored.temperature(1500)).isEqualTo(0.0);
    }

    @Test
    void zeroWarmupIsHardFromTheStart() {
        WarmupSchedule none = WarmupSchedule.of(0).withLambdaAfter(0.05);
        assertThat(none.temperature(0)).isEqualTo(0.0);
        assertThat(none.softActive(0)).isFalse();
        assertThat(none.lambda(0)).isEqualTo(0.05);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> WarmupSchedule.of(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("warmupSteps must be >= 0, got -1");
        assertThatThrownBy(() -> paper.withLambdaAfter(1.5))
                .hasMessage("lambdaAfter must be in [0, initialLambda=1.0], got 1.5");
        assertThatThrownBy(() -> new WarmupSchedule(10, Double.NaN, 1, 0))
                .hasMessage("initialTemperature must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> new WarmupSchedule(10, 2, -1, 0))
                .hasMessage("initialLambda must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> paper.temperature(-1)).hasMessage("step must be >= 0, got -1");
    }
}
