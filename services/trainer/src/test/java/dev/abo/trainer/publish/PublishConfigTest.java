package dev.abo.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.trainer.TrainerConfig;
import org.junit.jupiter.api.Test;

class PublishConfigTest {

    private static PublishConfig of(Map<String, String> m) {
        return PublishConfig.from(ConfigSource.of(m));
    }

    @Test
    void offWithoutAUrlAndDefaults() {
        PublishConfig c = of(Map.of());
        assertThat(c.enabled()).isFalse();
        assertThat(c.model()).isEqualTo("detector");
        assertThat(c.every()).isEqualTo(1000);
        assertThat(c.epsilon()).isEqualTo(0.05);
        PublishConfig on = of(Map.of("ABO_REGISTRY_URL", "http://registry:8081", "ABO_REGISTRY_TOKEN", "t",
                "ABO_PUBLISH_EVERY", "50", "ABO_PUBLISH_EPSILON", "0.2", "ABO_MODEL_NAME", "voc-1"));
        assertThat(on.registryUrl().orElseThrow().getPort()).isEqualTo(8081);
        assertThat(on.token()).contains("t");
        assertThat(on).extracting(PublishConfig::model, PublishConfig::every, PublishConfig::epsilon).containsExactly("voc-1", 50L, 0.2);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> of(Map.of("ABO_REGISTRY_URL", "registry:8081"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ABO_REGISTRY_URL");
        assertThatThrownBy(() -> of(Map.of("ABO_MODEL_NAME", "Detector!"))).hasMessageContaining("ABO_MODEL_NAME");
        assertThatThrownBy(() -> of(Map.of("ABO_PUBLISH_EPSILON", "-1"))).hasMessageContaining("ABO_PUBLISH_EPSILON");
        assertThatThrownBy(() -> of(Map.of("ABO_REGISTRY_URL", "http://r:1", "ABO_PUBLISH_EVERY", "0", "ABO_PUBLISH_EPSILON", "0")))
                .hasMessageContaining("ABO_PUBLISH_EVERY");
    }

    @Test
    void theTrainerAcceptsThePublishingKeysAndValidatesThem() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "ABO_REGISTRY_URL", "http://127.0.0.1:8081",
                "ABO_MODEL_NAME", "m", "ABO_PUBLISH_EVERY", "7");
        assertThat(TrainerConfig.from(env).publish().every()).isEqualTo(7);
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "ABO_PUBLISH_EVERY", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ABO_PUBLISH_EVERY");
    }
}
