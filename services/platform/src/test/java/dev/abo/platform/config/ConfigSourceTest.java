package dev.abo.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigSourceTest {

    enum Mode { TRAIN, EVAL }

    private final ConfigSource config = ConfigSource.of(Map.of(
            "BATCH_SIZE", " 32 ",
            "LR", "0.001",
            "FLUSH_INTERVAL_MS", "250",
            "DRY_RUN", "TRUE",
            "MODE", "eval",
            "DATA_DIR", "/data/voc",
            "EMPTY", "   ",
            "SOURCE_ID", "voc2007/loader-0"));

    @Test
    void typedValuesAreParsedAndTrimmed() {
        assertThat(config.intInRange("BATCH_SIZE", 16, 1, 1024)).isEqualTo(32);
        assertThat(config.doubleInRange("LR", 0.01, 0, 1)).isEqualTo(0.001);
        assertThat(config.durationMs("FLUSH_INTERVAL_MS", Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
        assertThat(config.bool("DRY_RUN", false)).isTrue();
        assertThat(config.enumValue("MODE", Mode.class, Mode.TRAIN)).isEqualTo(Mode.EVAL);
        assertThat(config.path("DATA_DIR", Path.of("x"))).isEqualTo(Path.of("/data/voc"));
        assertThat(config.requiredString("SOURCE_ID")).isEqualTo("voc2007/loader-0");
    }

    @Test
    void absentAndBlankKeysTakeTheDefault() {
        assertThat(config.intInRange("MISSING", 16, 1, 1024)).isEqualTo(16);
        assertThat(config.string("EMPTY", "fallback")).isEqualTo("fallback");
        assertThat(config.optionalString("EMPTY")).isEmpty();
        assertThat(config.durationMs("MISSING_MS", Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.port("METRICS_PORT", 9400)).isEqualTo(9400);
    }

    @Test
    void errorsNameTheKeyTheValueAndWhatWasExpected() {
        ConfigSource bad = ConfigSource.of(Map.of(
                "BATCH_SIZE", "0", "LINGER_MS", "ten", "DRY_RUN", "yes", "MODE", "test", "LR", "NaN",
                "METRICS_PORT", "70000", "TIMEOUT_MS", "-5"));
        assertThatThrownBy(() -> bad.intInRange("BATCH_SIZE", 16, 1, 1024))
                .isInstanceOf(ConfigException.class)
                .hasMessage("BATCH_SIZE='0': expected an integer in [1, 1024]");
        assertThatThrownBy(() -> bad.durationMs("LINGER_MS", Duration.ZERO))
                .hasMessage("LINGER_MS='ten': expected an integer >= 0");
        assertThatThrownBy(() -> bad.durationMs("TIMEOUT_MS", Duration.ZERO))
                .hasMessage("TIMEOUT_MS='-5': expected an integer >= 0");
        assertThatThrownBy(() -> bad.bool("DRY_RUN", false)).hasMessage("DRY_RUN='yes': expected true or false");
        assertThatThrownBy(() -> bad.enumValue("MODE", Mode.class, Mode.TRAIN))
                .hasMessage("MODE='test': expected one of train, eval");
        assertThatThrownBy(() -> bad.doubleInRange("LR", 0.01, 0, 1)).hasMessage("LR='NaN': expected a number in [0.0, 1.0]");
        assertThatThrownBy(() -> bad.port("METRICS_PORT", 0)).hasMessage("METRICS_PORT='70000': expected an integer in [0, 65535]");
        assertThatThrownBy(() -> bad.requiredString("SOURCE_ID"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("SOURCE_ID");
                    assertThat(e.value()).isNull();
                })
                .hasMessage("SOURCE_ID is not set: expected a value (it is required)");
    }

    @Test
    void durationKeysMustCarryTheirUnit() {
        assertThatThrownBy(() -> config.durationMs("FLUSH_INTERVAL", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration key FLUSH_INTERVAL must end with _MS (its unit)");
    }

    @Test
    void kafkaEntriesBecomeClientProperties() {
        ConfigSource c = ConfigSource.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092",
                "KAFKA_MAX_REQUEST_SIZE", "8388608",
                "KAFKA_SASL_JAAS_CONFIG", "x",
                "KAFKA_LINGER_MS", "",
                "KAFKA_", "ignored",
                "BATCH_SIZE", "3"));
        assertThat(c.kafkaProperties()).containsExactly(
                Map.entry("bootstrap.servers", "kafka-0:9092,kafka-1:9092"),
                Map.entry("max.request.size", "8388608"),
                Map.entry("sasl.jaas.config", "x"));
    }

    @Test
    void withOverridesReplacesEntries() {
        ConfigSource c = config.with(Map.of("BATCH_SIZE", "64"));
        assertThat(c.intValue("BATCH_SIZE", 0)).isEqualTo(64);
        assertThat(c.requiredString("SOURCE_ID")).isEqualTo("voc2007/loader-0");
        assertThat(config.intValue("BATCH_SIZE", 0)).isEqualTo(32);
    }
}
