package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Scaling;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The service settings of {@link LoaderConfig}: delivery, augmentation switch, watch flush, Kafka keys. */
class DeliveryConfigTest {

    @Test
    void defaults() {
        LoaderConfig c = LoaderConfig.from(Map.of());
        assertThat(c.delivery()).isEqualTo(new LoaderConfig.Delivery(8, 1000, "abo-trainer", Duration.ofSeconds(1),
                OptionalDouble.empty(), LoaderConfig.TooLargePolicy.STOP, OptionalLong.empty(), 10_000));
        assertThat(c.watchFlush()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.augmentConfig()).isEqualTo(AugmentConfig.yolov2(128, 128));
    }

    @Test
    void readsEveryDeliverySetting() {
        LoaderConfig c = LoaderConfig.from(Map.of("ABO_MAX_IN_FLIGHT", "2", "ABO_MAX_LAG_BATCHES", "50",
                "ABO_TRAINER_GROUP", "trainer-b", "ABO_LAG_POLL_MS", "250", "ABO_MAX_BATCHES_PER_S", "2.5",
                "ABO_ON_TOO_LARGE", "skip", "ABO_MAX_BATCHES", "100", "ABO_RESUME_SCAN_RECORDS", "64",
                "ABO_WATCH_FLUSH_MS", "0", "ABO_AUGMENT", "none"));
        assertThat(c.delivery()).isEqualTo(new LoaderConfig.Delivery(2, 50, "trainer-b", Duration.ofMillis(250),
                OptionalDouble.of(2.5), LoaderConfig.TooLargePolicy.SKIP, OptionalLong.of(100), 64));
        assertThat(c.watchFlush()).isZero();
        // none: no jitter, flip or colour change; the window is the whole frame (fit, shifted by at most 0 px)
        AugmentConfig none = c.augmentConfig();
        assertThat(none.jitter()).isZero();
        assertThat(none.scaling()).isEqualTo(Scaling.FIT);
        assertThat(none.flipProbability()).isZero();
        assertThat(none.hue()).isZero();
        assertThat(none.saturation()).isEqualTo(1);
        assertThat(none.exposure()).isEqualTo(1);
    }

    @Test
    void kafkaSettingsGoBackToTheirEnvironmentNamesForThePlatformClients() {
        LoaderConfig c = LoaderConfig.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "KAFKA_LINGER_MS", "5"));
        assertThat(c.kafkaSource().kafkaProperties()).isEqualTo(Map.of("bootstrap.servers", "k:9092", "linger.ms", "5"));
    }

    @Test
    void messagesNameTheBadKey() {
        assertBad(Map.of("ABO_MAX_BATCHES_PER_S", "0"),
                "ABO_MAX_BATCHES_PER_S: expected a number of batches per second in (0, 1000000], got '0' (unset it for no limit)");
        assertBad(Map.of("ABO_MAX_LAG_BATCHES", "0"),
                "ABO_MAX_LAG_BATCHES: expected an integer in 1..9223372036854775807, got 0");
        assertBad(Map.of("ABO_ON_TOO_LARGE", "drop"), "ABO_ON_TOO_LARGE: expected one of stop, skip, got 'drop'");
        assertBad(Map.of("ABO_MAX_IN_FLIGHT", "0"), "ABO_MAX_IN_FLIGHT: expected an integer in 1..1024, got 0");
    }

    private static void assertBad(Map<String, String> env, String message) {
        assertThatThrownBy(() -> LoaderConfig.from(env)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
