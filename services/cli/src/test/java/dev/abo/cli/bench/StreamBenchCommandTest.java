package dev.abo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code abo bench stream} at tiny settings: what it prints, not how fast (no timed assertions). */
class StreamBenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void nativeCacheInTheRepository() {
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", Path.of("../../.javacpp-cache").toAbsolutePath().normalize().toString());
        }
    }

    @Test
    void jsonHasBrokerAndTrainerRowsForOneAndTwoLoadersWithFiniteNumbers() throws Exception {
        BenchCli r = BenchCli.of("bench", "stream", "--input-size", "32", "--batch", "2", "--batches", "4",
                "--steps", "2", "--warmup-steps", "1", "--max-lead", "2", "--backbone", "4,8,8", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());

        assertThat(j.get("input_size_px").asInt()).isEqualTo(32);
        assertThat(j.get("batch").asInt()).isEqualTo(2);
        JsonNode broker = j.get("broker");
        assertThat(broker.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode b = broker.get(i);
            assertThat(b.get("loaders").asInt()).isEqualTo(i + 1);
            assertThat(b.get("batches").asLong()).as("every loader wrote --batches").isEqualTo(4L * (i + 1));
            for (String k : List.of("kb_per_batch", "batches_per_second", "megabytes_per_second",
                    "consume_megabytes_per_second", "assembly_only_batches_per_second")) {
                assertThat(b.get(k).isNumber()).as(k).isTrue();
                assertThat(b.get(k).asDouble()).as(k).isFinite().isPositive();
            }
        }
        JsonNode trainer = j.get("trainer");
        assertThat(trainer.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode t = trainer.get(i);
            assertThat(t.get("loaders").asInt()).isEqualTo(i + 1);
            assertThat(t.get("steps").asInt()).isEqualTo(2);
            assertThat(t.get("steps_per_second").asDouble()).isFinite().isPositive();
            assertThat(t.get("data_wait_fraction").asDouble()).isBetween(0.0, 1.0);
            assertThat(t.get("mean_step_ms").asDouble()).isFinite().isPositive();
            assertThat(t.get("mean_wait_ms").asDouble()).isFinite().isGreaterThanOrEqualTo(0.0);
            assertThat(t.get("produced").asLong()).as("at least warm-up + measured steps were produced").isGreaterThanOrEqualTo(3);
        }
        assertThat(j.get("total_seconds").asDouble()).isFinite().isPositive();
    }

    @Test
    void badSettingsAreAUserError() {
        BenchCli r = BenchCli.of("bench", "stream", "--batches", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--batches");
    }
}
