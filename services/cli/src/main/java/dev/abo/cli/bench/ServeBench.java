package dev.abo.cli.bench;

import dev.abo.cli.JsonOutput;
import dev.abo.inference.bench.ServeBenchmark;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code abo bench serve}: gRPC serving overhead against calling the same predictor in-process. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Throughput and p50/p99 latency of one synthetic JPEG detected in-process (C threads calling the "
                + "service's decode-predict-threshold path) and over gRPC (a real inference server on loopback TCP, "
                + "C concurrent Netty clients), interleaved in rounds per concurrency C, after a warm-up that runs until "
                + "the JIT is quiet. Also the CPU time of the whole process per request on each path.",
                "Random weights (seed 42), default backbone; only speed is measured."})
public final class ServeBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input-size", defaultValue = "128", description = "network input side, a multiple of 16 (default ${DEFAULT-VALUE}: "
            + "the data-loader's default ABO_INPUT_SIZE, the model a default deployment trains and serves)")
    int inputSize;

    @Option(names = "--requests", defaultValue = "3000", description = "timed requests per path and C (default ${DEFAULT-VALUE}: "
            + "with 600 the gRPC path was still being optimised by the JIT in the timed rounds and its CPU per request 5-10%% higher "
            + "than after 15,000)")
    int requests;

    @Option(names = "--concurrency", defaultValue = "1,2,8", split = ",", description = "concurrency levels (default ${DEFAULT-VALUE})")
    List<Integer> concurrency;

    @Option(names = "--workers", defaultValue = "2", description = "server inference threads, ABO_INFERENCE_WORKERS (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--rounds", defaultValue = "10", description = "alternating a/b rounds per C (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "150", description = "untimed requests per path in each warm-up pair of batches "
            + "(default ${DEFAULT-VALUE}: C2 compiles a method after thousands of calls, and with fewer the gRPC path was still being "
            + "compiled in the timed rounds)")
    int warmup;

    @Option(names = "--jit-quiet-ms", defaultValue = "100", description = "warm up until the JIT compiler threads used less "
            + "CPU than this during the last 3 pairs of batches together (default ${DEFAULT-VALUE} ms)")
    long jitQuietMs;

    @Option(names = "--max-warmup-pairs", defaultValue = "150", description = "at most this many warm-up pairs (default ${DEFAULT-VALUE})")
    int maxWarmupPairs;

    @Option(names = "--client", defaultValue = "blocking", description = "gRPC client: async (C calls in flight on the async stub, "
            + "each answer's callback starting the next call on the channel's event loop) or blocking (C threads on the blocking "
            + "stub) (default ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int w = warmup;
        ServeBenchmark.Client c = switch (client) {
            case "async" -> ServeBenchmark.Client.ASYNC;
            case "blocking" -> ServeBenchmark.Client.BLOCKING;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--client must be async or blocking, got '" + client + "'");
        };
        ServeBenchmark.Result r = ServeBenchmark.run(new ServeBenchmark.Settings(inputSize, requests, concurrency, workers,
                rounds, w, jitQuietMs, maxWarmupPairs, 0.25, 30_000, c));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, toJson(r));
        } else {
            out.printf(Locale.ROOT, "serve  input %d px (%,d params), %dx%d JPEG of %,d bytes, %d detections >= 0.25%n",
                    inputSize, r.modelParams(), r.imageWidth(), r.imageHeight(), r.imageBytes(), r.detections());
            out.printf(Locale.ROOT, "       OMP_NUM_THREADS=%s, %d cpus, %d server workers, %s gRPC client, %d requests per path and C in %d rounds%n",
                    r.ompNumThreads(), r.cpus(), workers, client, requests, rounds);
            ServeBenchmark.Warmup wu = r.warmup();
            out.printf(Locale.ROOT, "       warm-up %d pairs of %d requests per path (%.1f s, JIT threads %d ms CPU, %d ms in the last 3 pairs)%n",
                    wu.pairs(), w, wu.seconds(), wu.jitCpuMs(), wu.lastPairsJitCpuMs());
            out.printf(Locale.ROOT, "%4s | %-37s | %-37s | %-8s | %s%n", "C", "in-process  req/s  p50  p99  cpu ms",
                    "gRPC  req/s  p50  p99  cpu ms", "gRPC/in (median of rounds)", "CPU in/gRPC (without JIT), server only");
            for (ServeBenchmark.Level l : r.levels()) {
                out.printf(Locale.ROOT, "%4d | %8.1f %8.2f %8.2f %8.2f   | %8.1f %8.2f %8.2f %8.2f   | %.3f (%.3f)            | %.3f (%.3f), %.3f%n",
                        l.concurrency(), l.inProcess().throughput(), l.inProcess().p50Ms(), l.inProcess().p99Ms(),
                        l.inProcess().cpuMsPerRequest(), l.grpc().throughput(), l.grpc().p50Ms(), l.grpc().p99Ms(),
                        l.grpc().cpuMsPerRequest(), l.ratio(), l.pairedRatioMedian(), l.cpuRatio(), l.cpuRatioWithoutJit(), l.serverCpuRatio());
            }
            String jit = r.levels().stream().map(l -> String.format(Locale.ROOT, "%d: %.2f/%.2f", l.concurrency(),
                    l.inProcess().jitCpuMsPerRequest(), l.grpc().jitCpuMsPerRequest())).collect(java.util.stream.Collectors.joining(", "));
            out.printf(Locale.ROOT, "(p50/p99 in ms; cpu ms = CPU time of the whole process per request, of which the JIT compiler"
                    + " threads in-process/gRPC by C %s; load average %.2f)%n", jit,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.printf(Locale.ROOT, "CPU ms per request by thread, in-process | gRPC:%n");
            for (ServeBenchmark.Level l : r.levels()) {
                String parts = l.inProcess().cpuMsPerRequestByThreads().keySet().stream().map(k -> String.format(Locale.ROOT,
                        "%s %.2f | %.2f", k, l.inProcess().cpuMsPerRequestByThreads().get(k), l.grpc().cpuMsPerRequestByThreads().get(k)))
                        .collect(java.util.stream.Collectors.joining(", "));
                out.printf(Locale.ROOT, "%4d | %s%n", l.concurrency(), parts);
            }
            out.printf(Locale.ROOT, "gRPC failures: %d %s%n", r.grpcFailures(), r.grpcFailuresByCode());
        }
        out.flush();
        return r.grpcFailures() == 0 ? 0 : 1;
    }

    static Map<String, Object> toJson(ServeBenchmark.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        ServeBenchmark.Settings s = r.settings();
        m.put("input_size", s.inputSize());
        m.put("client", s.client().name().toLowerCase(Locale.ROOT));
        m.put("model_params", r.modelParams());
        m.put("image_width", r.imageWidth());
        m.put("image_height", r.imageHeight());
        m.put("image_bytes", r.imageBytes());
        m.put("detections", r.detections());
        m.put("requests", s.requests());
        m.put("rounds", s.rounds());
        m.put("warmup", s.warmup());
        m.put("warmup_pairs", r.warmup().pairs());
        m.put("warmup_seconds", JsonOutput.round(r.warmup().seconds(), 3));
        m.put("warmup_jit_cpu_ms", r.warmup().jitCpuMs());
        m.put("warmup_last_pairs_jit_cpu_ms", r.warmup().lastPairsJitCpuMs());
        m.put("workers", s.workers());
        m.put("omp_num_threads", r.ompNumThreads());
        m.put("cpus", r.cpus());
        m.put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Map<String, Object>> levels = new ArrayList<>();
        for (ServeBenchmark.Level l : r.levels()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("concurrency", l.concurrency());
            lm.put("in_process", stats(l.inProcess()));
            lm.put("grpc", stats(l.grpc()));
            lm.put("grpc_over_in_process", JsonOutput.round(l.ratio(), 4));
            lm.put("cpu_in_process_over_grpc", JsonOutput.round(l.cpuRatio(), 4));
            lm.put("cpu_in_process_over_grpc_without_jit", JsonOutput.round(l.cpuRatioWithoutJit(), 4));
            lm.put("server_cpu_in_process_over_grpc", JsonOutput.round(l.serverCpuRatio(), 4));
            lm.put("grpc_over_in_process_median_of_rounds", JsonOutput.round(l.pairedRatioMedian(), 4));
            levels.add(lm);
        }
        m.put("levels", levels);
        m.put("grpc_failures", r.grpcFailures());
        m.put("grpc_failures_by_code", r.grpcFailuresByCode());
        return m;
    }

    private static Map<String, Object> stats(ServeBenchmark.Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", s.ok());
        m.put("failures", s.failures());
        m.put("seconds", JsonOutput.round(s.seconds(), 4));
        m.put("requests_per_second", JsonOutput.round(s.throughput(), 3));
        m.put("p50_ms", JsonOutput.round(s.p50Ms(), 3));
        m.put("p99_ms", JsonOutput.round(s.p99Ms(), 3));
        m.put("mean_ms", JsonOutput.round(s.meanMs(), 3));
        m.put("cpu_ms_per_request", JsonOutput.round(s.cpuMsPerRequest(), 3));
        m.put("jit_cpu_ms_per_request", JsonOutput.round(s.jitCpuMsPerRequest(), 3));
        Map<String, Object> threads = new LinkedHashMap<>();
        s.cpuMsPerRequestByThreads().forEach((k, v) -> threads.put(k, JsonOutput.round(v, 3)));
        m.put("cpu_ms_per_request_by_threads", threads);
        m.put("compile_ms", s.compileMs());
        return m;
    }
}
