package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.abo.core.anchor.AnchorInit;
import org.junit.jupiter.api.Test;

class DemoPlanTest {

    static DemoSettings settings(Duration length, double pace, double cameraShare, int evalEvery) {
        return new DemoSettings(length, Path.of("out"), Path.of("voc"), 96, 8, List.of(16, 32, 64, 128, 128), AnchorInit.COCO,
                1, pace, cameraShare, evalEvery, 64, 200, Duration.ofSeconds(10), Duration.ofSeconds(1), 0.02, "t");
    }

    @Test
    void theDefaultRunTrainsUntilTheReserveAndDriftsHalfway() {
        // 9 min = 540 s; the reserve is min(25 s, 54 s) = 25 s; training 540 - 20 - 25 = 495 s, drift after 247.5 s
        DemoPlan p = DemoPlan.of(settings(Duration.ofMinutes(9), 3, 0.75, 25), Duration.ofSeconds(20));
        assertThat(p.trainingSeconds()).isEqualTo(495.0);
        assertThat(p.driftAfter()).isEqualTo(247.5);
        // at most 3 x 495 = 1485 steps; warm-up a tenth (148.5 -> 149), capped at 100
        assertThat(p.plannedSteps()).isEqualTo(1485);
        assertThat(p.warmupSteps()).isEqualTo(100);
        // 3 batches/s: 3/4 camera, 1/4 VOC; checkpoints every min(10, 25) steps; cap 10 + 6
        assertThat(p.cameraRate()).isEqualTo(2.25);
        assertThat(p.vocRate()).isEqualTo(0.75);
        assertThat(p.checkpointEvery()).isEqualTo(10);
        assertThat(p.lagCap()).isEqualTo(16);
    }

    @Test
    void aShortRunKeepsATenthAsReserveAndWarmsUpATenthOfItsSteps() {
        // 48 s: reserve min(25, 4.8) = 4.8 s; training 48 - 8 - 4.8 = 35.2 s; at most 4 x 35.2 = 140.8 -> 141 steps
        DemoPlan p = DemoPlan.of(settings(Duration.ofSeconds(48), 4, 0.5, 5), Duration.ofSeconds(8));
        assertThat(p.trainingSeconds()).isCloseTo(35.2, within(1e-9));
        assertThat(p.driftAfter()).isCloseTo(17.6, within(1e-9));
        assertThat(p.plannedSteps()).isEqualTo(141);
        assertThat(p.warmupSteps()).isEqualTo(14);
        assertThat(p.cameraRate()).isEqualTo(2.0);
        assertThat(p.vocRate()).isEqualTo(2.0);
        assertThat(p.checkpointEvery()).isEqualTo(5);
        assertThat(p.lagCap()).isEqualTo(11);
    }

    @Test
    void aSlowStartStillLeavesTheMinimumTrainingWindowAndACameraOnlyRunHasNoVoc() {
        DemoPlan p = DemoPlan.of(settings(Duration.ofSeconds(10), 1, 1.0, 25), Duration.ofSeconds(30));
        assertThat(p.trainingSeconds()).isEqualTo(DemoPlan.MIN_TRAINING_SECONDS);
        assertThat(p.plannedSteps()).isEqualTo(5);
        assertThat(p.warmupSteps()).isEqualTo(1);       // 0.5 -> 1 at least
        assertThat(p.vocRate()).isZero();
    }
}
