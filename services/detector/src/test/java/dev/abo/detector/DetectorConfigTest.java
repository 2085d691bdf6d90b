package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DetectorConfigTest {

    @Test
    void strideAndGridFollowFromTheBackboneDepth() {
        DetectorConfig c = DetectorConfig.defaults(128, 3);
        assertThat(c.stride()).isEqualTo(16);          // 5 blocks, 4 pools: 2^4
        assertThat(c.gridSize()).isEqualTo(8);         // 128 / 16
        DetectorConfig small = c.withBackbone(List.of(4, 8, 8));
        assertThat(small.stride()).isEqualTo(4);
        assertThat(small.gridSize()).isEqualTo(32);
    }

    @Test
    void validationNamesTheOffendingField() {
        DetectorConfig c = DetectorConfig.defaults(64, 1);
        assertThatThrownBy(() -> DetectorConfig.defaults(72, 1)).hasMessageContaining("inputSize").hasMessageContaining("16");
        assertThatThrownBy(() -> c.withBackbone(List.of(8, 0))).hasMessageContaining("backboneChannels[1]");
        assertThatThrownBy(() -> c.withAnchors(0, DetectorConfig.AnchorMode.LEARNED)).hasMessageContaining("numAnchors");
        assertThatThrownBy(() -> c.withObjectness(DetectorConfig.ObjectnessTarget.IOU, 1.5)).hasMessageContaining("ignoreThreshold");
        assertThatThrownBy(() -> c.withLearningRates(-1e-3, 1e-2)).hasMessageContaining("networkLearningRate");
        assertThatThrownBy(() -> c.withLearningRates(1e-3, Double.NaN)).hasMessageContaining("anchorLearningRate");
        assertThatThrownBy(() -> new DetectorConfig(64, List.of(8), 1, 0, 1, 1, 1, 1, 0.5,
                DetectorConfig.ObjectnessTarget.IOU, 1e-3, 1e-2, DetectorConfig.AnchorMode.LEARNED, true, true, true,
                DetectorConfig.Precision.FLOAT, 1)).hasMessageContaining("numClasses");
    }

    @Test
    void lossScheduleFollowsTheWarmupAndTheTechniqueSwitches() {
        dev.abo.core.schedule.WarmupSchedule w = dev.abo.core.schedule.WarmupSchedule.of(100);   // T 2 -> 0, lambda 1 -> 0
        DetectorConfig all = DetectorConfig.defaults(64, 1);
        assertThat(LossSchedule.at(w, 25, all)).isEqualTo(new LossSchedule(1, 1.5, 0.75));
        assertThat(LossSchedule.at(w, 100, all)).isEqualTo(new LossSchedule(0, 1, 0));
        assertThat(LossSchedule.at(w, 25, all.withTechniques(false, true, true))).isEqualTo(new LossSchedule(0, 1, 0.75));
        assertThat(LossSchedule.at(w, 25, all.withTechniques(true, false, true))).isEqualTo(new LossSchedule(1, 1.5, 0));
        assertThatThrownBy(() -> new LossSchedule(0.5, 0, 0)).hasMessageContaining("temperature");
    }
}
