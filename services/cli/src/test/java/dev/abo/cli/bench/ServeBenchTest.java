package dev.abo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code abo bench serve} at tiny settings: what it prints, not how fast (no timed assertions). */
class ServeBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void nativeCacheInTheRepository() {
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", Path.of("../../.javacpp-cache").toAbsolutePath().normalize().toString());
        }
    }

    @Test
    void jsonHasBothPathsForEachConcurrencyWithFiniteNumbersAndEveryGrpcCallOk() throws Exception {
        BenchCli r = BenchCli.of("bench", "serve", "--input-size", "32", "--requests", "6", "--concurrency", "1,2",
                "--rounds", "2", "--warmup", "2", "--max-warmup-pairs", "3", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());

        assertThat(j.get("input_size").asInt()).isEqualTo(32);
        assertThat(j.get("requests").asInt()).isEqualTo(6);
        assertThat(j.get("workers").asInt()).isEqualTo(2);
        assertThat(j.get("image_width").asInt()).isEqualTo(320);
        assertThat(j.get("image_height").asInt()).isEqualTo(240);
        assertThat(j.get("omp_num_threads").isTextual()).isTrue();
        for (String k : List.of("model_params", "image_bytes", "cpus")) {
            assertThat(j.get(k).asLong()).as(k).isPositive();
        }
        // at least the minimum of 2 warm-up pairs, at most the cap; the last pairs' JIT time is part of the total
        assertThat(j.get("warmup_pairs").asInt()).isBetween(2, 3);
        assertThat(j.get("warmup_last_pairs_jit_cpu_ms").asLong()).isBetween(0L, j.get("warmup_jit_cpu_ms").asLong());
        assertThat(j.get("grpc_failures").asInt()).as(j.get("grpc_failures_by_code").toString()).isZero();
        assertThat(j.get("grpc_failures_by_code").size()).isZero();

        JsonNode levels = j.get("levels");
        assertThat(levels.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode l = levels.get(i);
            assertThat(l.get("concurrency").asInt()).isEqualTo(i + 1);
            assertThat(l.get("grpc_over_in_process").isNumber()).isTrue();
            assertThat(Double.isFinite(l.get("grpc_over_in_process").asDouble())).isTrue();
            assertThat(l.get("grpc_over_in_process").asDouble()).isPositive();
            assertThat(l.get("cpu_in_process_over_grpc").asDouble()).isPositive();
            assertThat(l.get("cpu_in_process_over_grpc_without_jit").asDouble()).isPositive();
            assertThat(l.get("server_cpu_in_process_over_grpc").asDouble()).isGreaterThanOrEqualTo(0.0);
            assertThat(l.get("grpc_over_in_process_median_of_rounds").asDouble()).isPositive();
            for (String path : List.of("in_process", "grpc")) {
                JsonNode p = l.get(path);
                assertThat(p.get("ok").asInt()).as(path + " answered every request").isEqualTo(6);
                assertThat(p.get("failures").asInt()).as(path).isZero();
                for (String k : List.of("seconds", "requests_per_second", "p50_ms", "p99_ms", "mean_ms", "cpu_ms_per_request")) {
                    assertThat(p.get(k).isNumber()).as(path + "." + k).isTrue();
                    assertThat(Double.isFinite(p.get(k).asDouble())).as(path + "." + k).isTrue();
                    assertThat(p.get(k).asDouble()).as(path + "." + k).isPositive();
                }
                assertThat(p.get("p99_ms").asDouble()).as(path).isGreaterThanOrEqualTo(p.get("p50_ms").asDouble());
                assertThat(p.get("compile_ms").asLong()).as(path).isGreaterThanOrEqualTo(0);
                // the compiler threads' CPU is part of the process's
                assertThat(p.get("jit_cpu_ms_per_request").asDouble()).as(path).isBetween(0.0, p.get("cpu_ms_per_request").asDouble());
                JsonNode threads = p.get("cpu_ms_per_request_by_threads");
                List<String> groups = new java.util.ArrayList<>();
                threads.fieldNames().forEachRemaining(groups::add);
                assertThat(groups).as(path).containsExactly("callers", "inference workers", "client event loop", "server gRPC/Netty threads", "JIT compilers",
                        "GC/VM", "other");
                threads.forEach(v -> assertThat(v.asDouble()).as(path + " " + threads).isGreaterThanOrEqualTo(0.0));
            }
            // the in-process path never reaches the server: its workers and the transport stay parked (no CPU at all)
            JsonNode local = l.get("in_process").get("cpu_ms_per_request_by_threads");
            assertThat(local.get("inference workers").asDouble()).as(local.toString()).isZero();
        }
        assertThat(j.get("client").asText()).isEqualTo("blocking");
    }

    @Test
    void asyncClientAnswersEveryCallToo() throws Exception {
        BenchCli r = BenchCli.of("bench", "serve", "--input-size", "32", "--requests", "4", "--concurrency", "2",
                "--rounds", "1", "--warmup", "2", "--max-warmup-pairs", "2", "--client", "async", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("client").asText()).isEqualTo("async");
        assertThat(j.get("levels").get(0).get("grpc").get("ok").asInt()).isEqualTo(4);
        assertThat(j.get("grpc_failures").asInt()).isZero();
    }

    @Test
    void anUnknownClientIsAUsageError() throws Exception {
        BenchCli r = BenchCli.of("bench", "serve", "--client", "carrier-pigeon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--client must be async or blocking, got 'carrier-pigeon'");
    }
}
