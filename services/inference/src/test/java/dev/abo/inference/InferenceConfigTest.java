package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {

    @Test
    void defaults() {
        InferenceConfig c = InferenceConfig.from(ConfigSource.of(Map.of()));
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(50051);
        assertThat(c.maxInboundBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.maxInFlight()).isEqualTo(32);
        assertThat(c.workers()).isEqualTo(2);
        assertThat(c.defaultScoreThreshold()).isEqualTo(0.25);
        assertThat(c.defaultMaxDetections()).isEqualTo(300);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.model()).isEqualTo("default");
        assertThat(c.registryUrl()).isEmpty();
        assertThat(c.snapshotTopic()).isEqualTo("anchors.snapshots");
        assertThat(c.checkpoint()).isEmpty();
        assertThat(c.classNames()).isEmpty();
    }

    @Test
    void valuesAreRead() {
        InferenceConfig c = InferenceConfig.from(ConfigSource.of(Map.of("ABO_INFERENCE_PORT", "0",
                "ABO_INFERENCE_CHECKPOINT", "/m/x.ckpt", "ABO_INFERENCE_CLASS_NAMES", "car, person ,", "ABO_REGISTRY_URL", "http://r:8081",
                "ABO_INFERENCE_DEFAULT_MAX_DETECTIONS", "1000")));
        assertThat(c.port()).isZero();
        assertThat(c.checkpoint()).isEqualTo(Optional.of(Path.of("/m/x.ckpt")));
        assertThat(c.classNames()).isEqualTo(List.of("car", "person"));
        assertThat(c.registryUrl()).contains("http://r:8081");
        assertThat(c.defaultMaxDetections()).isEqualTo(1000);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> InferenceConfig.from(ConfigSource.of(Map.of("ABO_INFERENCE_MAX_IN_FLIGHT", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ABO_INFERENCE_MAX_IN_FLIGHT");
        assertThatThrownBy(() -> InferenceConfig.from(ConfigSource.of(Map.of("ABO_INFERENCE_DEFAULT_MAX_DETECTIONS", "1001"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ABO_INFERENCE_DEFAULT_MAX_DETECTIONS");
        assertThatThrownBy(() -> InferenceConfig.from(ConfigSource.of(Map.of("ABO_INFERENCE_DEFAULT_SCORE_THRESHOLD", "1.5"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ABO_INFERENCE_DEFAULT_SCORE_THRESHOLD");
    }
}
