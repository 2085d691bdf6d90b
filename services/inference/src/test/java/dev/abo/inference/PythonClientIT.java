package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clients/python/detect.py against a real server. Needs Debian's python3-grpcio and python3-protobuf in
 * /usr/bin/python3 and the protoc of the Maven build (messages are generated at test time); skipped with
 * the reason otherwise.
 */
class PythonClientIT {
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;
    static InferenceServer server;
    static Path stubs;
    static Path image;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("abo.repo.root", "../.."));
        Path protoc = Path.of(System.getProperty("abo.protoc", ""));
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "skipped: no " + PYTHON);
        assumeTrue(run(List.of(PYTHON, "-c", "import grpc, google.protobuf")).exit == 0,
                "skipped: " + PYTHON + " cannot import grpc and google.protobuf (apt-get install python3-grpcio python3-protobuf)");
        assumeTrue(Files.isRegularFile(protoc), "skipped: protoc not found at " + protoc + " (run the proto module build once)");
        Path exe = dir.resolve("protoc");
        Files.copy(protoc, exe);
        exe.toFile().setExecutable(true);
        stubs = Files.createDirectories(dir.resolve("stubs"));
        Result gen = run(List.of(exe.toString(), "-I", root.resolve("proto/src/main/proto").toString(), "--python_out=" + stubs,
                "detection/v1/detection.proto"));
        assertThat(gen.exit).as(gen.output).isZero();
        image = dir.resolve("frame.png");
        Files.write(image, TestModels.image64x48());
        ModelHolder holder = new ModelHolder();
        holder.swap(TestModels.load(dir, "py", 4, 16));
        server = TestServers.start(TestServers.config(Map.of()), holder, TestServers.metrics());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<String> client(String... extra) {
        Path script = Path.of(System.getProperty("abo.repo.root", "../..")).resolve("clients/python/detect.py");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--stubs", stubs.toString(),
                "--target", "127.0.0.1:" + server.port(), "--timeout-s", "30"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    @Test
    void detectPrintsTheHandDerivedBoxes() throws Exception {
        Result r = run(client(image.toString(), "--request-id", "cam-7"));
        assertThat(r.exit).as(r.output).isZero();
        JsonNode j = new ObjectMapper().readTree(r.output);
        assertThat(j.path("model_name").asText()).isEqualTo("py");
        assertThat(j.path("model_version").asLong()).isEqualTo(4);
        assertThat(j.path("request_id").asText()).isEqualTo("cam-7");
        List<List<Double>> boxes = new ArrayList<>();
        j.path("detections").forEach(d -> boxes.add(List.of(d.path("x1_px").asDouble(), d.path("y1_px").asDouble(),
                d.path("x2_px").asDouble(), d.path("y2_px").asDouble(), d.path("score").asDouble())));
        // TestModels.expected64x48(16)
        assertThat(boxes).containsExactly(List.of(0.0, 0.0, 32.0, 24.0, 0.5), List.of(32.0, 0.0, 64.0, 24.0, 0.5),
                List.of(0.0, 24.0, 32.0, 48.0, 0.5), List.of(32.0, 24.0, 64.0, 48.0, 0.5));
        assertThat(j.path("detections").get(0).path("class_name").asText()).isEqualTo(TestModels.CLASS);
    }

    @Test
    void aRefusalIsPrintedWithItsCode() throws Exception {
        Result r = run(client(image.toString(), "--max-detections", "1001"));
        assertThat(r.exit).as(r.output).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.output);
        assertThat(j.path("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(j.path("message").asText()).isEqualTo("max_detections must be in [1, 1000], got 1001");
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), out.isBlank() ? err : out);
    }
}
