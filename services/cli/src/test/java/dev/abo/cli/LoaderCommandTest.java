package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoaderCommandTest {

    private static Map<String, String> env(Map<String, String> base, String... args) {
        LoaderCommand command = new LoaderCommand();
        new CommandLine(command).parseArgs(args);
        return command.env(base);
    }

    @Test
    void optionsSetTheServiceKeysOnTopOfTheEnvironment() {
        Map<String, String> env = env(Map.of("ABO_SEED", "7", "ABO_BATCH_SIZE", "32", "PATH", "/bin"),
                "--source", "camera:drift", "--bootstrap", "k:9092", "--batch-size", "8", "--max-lag", "40",
                "--rate", "2.5", "--max-batches", "100", "--eval-every-batches", "50", "--metrics-port", "0",
                "--scaling", "fit", "--set", "KAFKA_LINGER_MS=5");
        assertThat(env).isEqualTo(Map.ofEntries(Map.entry("ABO_SEED", "7"), Map.entry("ABO_BATCH_SIZE", "8"),
                Map.entry("PATH", "/bin"), Map.entry("ABO_SOURCE", "camera:drift"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k:9092"), Map.entry("ABO_MAX_LAG_BATCHES", "40"),
                Map.entry("ABO_MAX_BATCHES_PER_S", "2.5"), Map.entry("ABO_MAX_BATCHES", "100"),
                Map.entry("ABO_EVAL_EVERY_BATCHES", "50"), Map.entry("METRICS_PORT", "0"), Map.entry("ABO_SCALING", "fit"),
                Map.entry("KAFKA_LINGER_MS", "5")));
    }

    @Test
    void withoutBootstrapTheLocalBrokerOfAboBrokerIsUsedUnlessTheEnvironmentNamesOne() {
        assertThat(env(Map.of())).isEqualTo(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        assertThat(env(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"))).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    }

    @Test
    void aBadSettingIsOneLineAndExitCode2BeforeAnyConnection() {
        CliRun run = CliRun.of("loader", "--batch-size", "0", "--bootstrap", "127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("data-loader: ABO_BATCH_SIZE: expected an integer in 1..1024, got 0\n");
        CliRun set = CliRun.of("loader", "--set", "PATH=/tmp");
        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.err()).isEqualTo("abo loader: error: --set PATH=/tmp: only ABO_*, KAFKA_* and METRICS_* keys\n");
    }
}
