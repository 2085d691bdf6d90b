package dev.abo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abo.cli.Abo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code abo bench train} on a tiny run: what it prints, not how fast (no timed assertions). */
class TrainBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void nativeCacheInTheRepository() {
        // the cli module's surefire does not pass the detector's -Dorg.bytedeco.javacpp.cachedir: use the same
        // git-ignored cache at the repository root instead of extracting 400 MB into ~/.javacpp
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", Path.of("../../.javacpp-cache").toAbsolutePath().normalize().toString());
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Abo.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonHasEveryNumberAndTheRatiosAreThoseOfTheMedians() throws IOException {
        Run r = run("bench", "train", "--input-size", "64", "--batch", "2", "--steps", "3", "--warmup-steps", "1",
                "--rounds", "2", "--inference-runs", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());   // no DL4J println() may have reached stdout

        assertThat(j.get("input_size_px").asInt()).isEqualTo(64);
        assertThat(j.get("grid").asInt()).isEqualTo(4);
        assertThat(j.get("classes").asInt()).isEqualTo(5);
        JsonNode train = j.get("train_ms_per_step");
        assertThat(names(train)).containsExactly("learned", "fixed", "dl4j_yolo2");
        for (String v : List.of("learned", "fixed", "dl4j_yolo2")) {
            assertThat(train.get(v).get("n").asInt()).as(v).isEqualTo(3);
            assertThat(train.get(v).get("p90").asDouble()).as(v).isGreaterThanOrEqualTo(train.get(v).get("median").asDouble());
            assertThat(train.get(v).get("median").asDouble()).as(v).isGreaterThanOrEqualTo(train.get(v).get("min").asDouble());
        }
        // the ratios are the medians' (up to the 3-decimal rounding of the printed medians)
        double a = train.get("learned").get("median").asDouble();
        assertThat(j.get("ratio_a_b").asDouble()).isCloseTo(a / train.get("fixed").get("median").asDouble(), within(1e-3));
        assertThat(j.get("ratio_a_c").asDouble()).isCloseTo(a / train.get("dl4j_yolo2").get("median").asDouble(), within(1e-3));
        JsonNode cpu = j.get("train_cpu_ms_per_step");
        assertThat(names(cpu)).containsExactly("learned", "fixed", "dl4j_yolo2");
        assertThat(cpu.get("learned").get("n").asInt()).isEqualTo(3);
        assertThat(j.get("ratio_a_b_cpu").asDouble()).isCloseTo(
                cpu.get("learned").get("median").asDouble() / cpu.get("fixed").get("median").asDouble(), within(1e-3));
        assertThat(j.get("ratio_a_c_cpu").asDouble()).isCloseTo(
                cpu.get("learned").get("median").asDouble() / cpu.get("dl4j_yolo2").get("median").asDouble(), within(1e-3));
        assertThat(j.get("paper_ratio").asDouble()).isEqualTo(1.0158);   // 0.8154 / 0.8027
        assertThat(j.has("ratio_a_b_paired")).isTrue();
        assertThat(j.has("ratio_a_c_paired")).isTrue();
        assertThat(j.has("ratio_a_b_cpu_paired")).isTrue();
        assertThat(j.has("ratio_a_c_cpu_paired")).isTrue();
        // (a) trained its anchors, (b) kept them exactly
        assertThat(j.get("max_log_anchor_change").get("learned").asDouble()).isGreaterThan(0);
        assertThat(j.get("max_log_anchor_change").get("fixed").asDouble()).isZero();

        JsonNode inference = j.get("inference_ms_per_image");
        assertThat(names(inference)).containsExactly("batch_1", "batch_2");
        for (String b : List.of("batch_1", "batch_2")) {
            JsonNode at = inference.get(b);
            assertThat(at.get("learned").get("n").asInt()).as(b).isEqualTo(2);
            assertThat(at.get("ratio_a_b").asDouble()).as(b).isCloseTo(
                    at.get("learned").get("median").asDouble() / at.get("fixed").get("median").asDouble(), within(2e-3));
        }
        JsonNode runtime = j.get("runtime");
        assertThat(runtime.get("helpers_enabled").asBoolean()).as("the command switches DL4J's layer helpers on").isTrue();
        assertThat(runtime.get("max_threads").asInt()).isPositive();
        assertThat(j.get("load_average_before").asText()).matches("\\d+\\.\\d+ \\d+\\.\\d+ \\d+\\.\\d+|unknown");
    }

    private static List<String> names(JsonNode object) {
        List<String> n = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(n::add);
        return n;
    }

    @Test
    void helpExplainsTheThreeVariantsAndABadInputSizeIsAUserError() {
        Run help = run("bench", "train", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("(a) learnable anchors", "(b) fixed anchors", "(c) DL4J's own",
                "Yolo2OutputLayer", "boundingBoxPriors", "--warmup-steps");

        Run bad = run("bench", "train", "--input-size", "100");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("multiple of the stride 16");
    }
}
