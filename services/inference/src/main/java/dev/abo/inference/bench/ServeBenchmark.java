package dev.abo.inference.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.google.protobuf.ByteString;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.synth.MixedScenes;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.inference.InferenceConfig;
import dev.abo.inference.InferenceMetrics;
import dev.abo.inference.InferenceServer;
import dev.abo.inference.LoadedModel;
import dev.abo.inference.ModelHolder;
import dev.abo.platform.config.ConfigSource;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Serving overhead: the same request (one synthetic JPEG) answered (a) in-process, by C threads calling the
 * service's path directly (JPEG decode, then {@link LoadedModel#detect}: stretch, forward pass, decode, NMS with
 * the score threshold and limit), and (b) over gRPC,
 * by C concurrent blocking stubs on a plaintext Netty channel to a real {@link InferenceServer} on a loopback
 * TCP port. Per concurrency level the requests are split into rounds that alternate a-b / b-a, so slow
 * stretches of a shared machine hit both paths alike. Failed gRPC calls are counted, never retried.
 */
public final class ServeBenchmark {
    /** Warm-up pairs of batches run whatever the JIT does. */
    public static final int MIN_WARMUP_PAIRS = 2;
    /** The JIT counts as quiet when its threads used less than {@code jitQuietMs} in these many last warm-up pairs. */
    public static final int QUIET_PAIRS = 3;
    /** Idle time after each warm-up pair, for the compiler threads. */
    static final long WARMUP_PAUSE_MS = 100;

    /**
     * @param inputSize      network input side (default backbone, stride 16: a multiple of 16)
     * @param requests       timed requests per path and concurrency level
     * @param concurrency    the levels C
     * @param workers        server inference threads ({@code ABO_INFERENCE_WORKERS})
     * @param rounds         rounds per level (a and b alternate their order round by round)
     * @param warmup         untimed requests per path in each warm-up pair of batches (local then gRPC), the pairs
     *                       cycling through the concurrency levels
     * @param jitQuietMs     warm-up pairs repeat (at least {@value #MIN_WARMUP_PAIRS}) until the JIT compiler threads
     *                       used less than this many ms of CPU during the last {@value #QUIET_PAIRS} pairs together
     *                       (the JVM's compilation time where /proc is absent), at most
     *                       {@code maxWarmupPairs}: the gRPC path has far more code to compile than the in-process
     *                       one (Netty, HTTP/2, gRPC, protobuf), and on 2 busy cores its compilation went on for more
     *                       than 30 s, in the timed rounds, at the gRPC path's expense
     * @param maxWarmupPairs the cap on warm-up pairs
     * @param scoreThreshold both paths' threshold
     * @param deadlineMs     per-call gRPC deadline
     * @param client         how the gRPC path keeps C requests in flight
     */
    public record Settings(int inputSize, int requests, List<Integer> concurrency, int workers, int rounds, int warmup,
                           long jitQuietMs, int maxWarmupPairs, double scoreThreshold, long deadlineMs, Client client) {
        public Settings {
            concurrency = List.copyOf(concurrency);
            java.util.Objects.requireNonNull(client, "client");
            if (inputSize < 16 || inputSize % 16 != 0) {
                throw new IllegalArgumentException("input size must be a positive multiple of 16, got " + inputSize);
            }
            if (requests < 1 || rounds < 1 || workers < 1 || warmup < 0 || concurrency.isEmpty()
                    || concurrency.stream().anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException("requests, rounds, workers and every concurrency must be >= 1: " + concurrency);
            }
            if (jitQuietMs < 0 || maxWarmupPairs < MIN_WARMUP_PAIRS) {
                throw new IllegalArgumentException("jitQuietMs must be >= 0 and maxWarmupPairs >= " + MIN_WARMUP_PAIRS
                        + ", got " + jitQuietMs + " and " + maxWarmupPairs);
            }
        }

        int maxConcurrency() {
            return concurrency.stream().mapToInt(Integer::intValue).max().orElseThrow();
        }
    }

    /** The gRPC client of the benchmark. */
    public enum Client {
        /**
         * C calls in flight on the asynchronous stub, each answer's callback (on the channel's event loop, the
         * channel runs callbacks directly) starting the next call: what a throughput-minded client does, no thread
         * hop on the client side.
         */
        ASYNC,
        /** C threads, each on the blocking stub: every answer wakes its calling thread. */
        BLOCKING
    }

    /**
     * One path at one level: requests answered OK, failures, throughput over the summed round wall time, latency,
     * the CPU time of the whole process (clients, server, transport, GC, JIT) per answered request, the part of
     * it that the JIT compiler threads used (a warm-up cost that a long-running server no longer pays), and the
     * JVM's compilation time during these rounds; and the CPU time per request by kind of thread (callers,
     * inference workers, gRPC/Netty, JIT, GC/VM, other: see {@link ThreadCpu.Group}), in that order.
     */
    public record Stats(int ok, int failures, double seconds, double throughput, double p50Ms, double p99Ms, double meanMs,
                        double cpuMsPerRequest, double jitCpuMsPerRequest, long compileMs, Map<String, Double> cpuMsPerRequestByThreads) {
        /** CPU per request without the compiler threads' share. */
        public double cpuMsPerRequestWithoutJit() {
            return cpuMsPerRequest - jitCpuMsPerRequest;
        }
    }

    /**
     * One level: both paths, gRPC / in-process throughput, and in-process / gRPC CPU time per request, with and
     * without the JIT compiler threads (the share of gRPC's CPU that is the same work as in-process; what the
     * throughput ratio tends to when the cores are saturated, and unlike wall time nearly independent of other
     * processes on the machine); and the median over rounds of gRPC / in-process throughput of the two batches of a
     * round, which ran back to back (robust to a slow stretch of the machine that hit a few rounds).
     */
    public record Level(int concurrency, Stats inProcess, Stats grpc, double ratio, double cpuRatio, double cpuRatioWithoutJit,
                        double pairedRatioMedian) {
        /**
         * The calling threads' CPU per request in-process over the server's per request over gRPC (inference workers
         * plus the server's gRPC/Netty threads): what serving over gRPC costs the server alone, as when the clients
         * run on other machines; 0 where /proc is absent.
         */
        public double serverCpuRatio() {
            double server = grpc.cpuMsPerRequestByThreads().getOrDefault(ThreadCpu.Group.WORKERS.label, 0.0)
                    + grpc.cpuMsPerRequestByThreads().getOrDefault(ThreadCpu.Group.TRANSPORT.label, 0.0);
            return server > 0 ? inProcess.cpuMsPerRequestByThreads().getOrDefault(ThreadCpu.Group.CALLERS.label, 0.0) / server : 0;
        }
    }

    /** The run: what was measured and how. */
    public record Result(Settings settings, String ompNumThreads, int cpus, int imageWidth, int imageHeight, int imageBytes,
                         long modelParams, int detections, Warmup warmup, List<Level> levels,
                         Map<String, Integer> grpcFailuresByCode) {
        public int grpcFailures() {
            return grpcFailuresByCode.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** What the warm-up took: pairs of batches, wall time, JIT compiler threads' CPU in all and in its last pairs. */
    public record Warmup(int pairs, double seconds, long jitCpuMs, long lastPairsJitCpuMs) {
    }

    private ServeBenchmark() {
    }

    public static Result run(Settings s) throws IOException, InterruptedException {
        MixedScenes scenes = new MixedScenes(42L);
        RgbImage scene = scenes.scene(0).image();
        byte[] jpeg = ImageCodec.encode(scene, ImageCodec.Format.JPEG, 0.9f);
        List<String> classNames = scenes.classNames();

        Path dir = Files.createTempDirectory("abo-bench-serve");
        LoadedModel model;
        long params;
        try {
            DetectorConfig config = DetectorConfig.defaults(s.inputSize(), classNames.size());
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < config.numAnchors(); i++) {
                double side = s.inputSize() * (0.1 + 0.8 * i / Math.max(1, config.numAnchors() - 1));
                shapes.add(new Shape(side, side * (i % 2 == 0 ? 1.0 : 0.6)));
            }
            AnchorSet anchors = AnchorSet.of(shapes, s.inputSize());
            ComputationGraph net = DetectorGraph.build(config, anchors);   // random weights from config.seed()
            params = net.numParams();
            Path file = dir.resolve("bench.ckpt");
            Checkpoint.write(file, net, config, 0, false);
            model = LoadedModel.load(file, "bench", 1, classNames);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        int maxC = s.maxConcurrency();
        Map<String, String> env = new HashMap<>();
        env.put("ABO_INFERENCE_PORT", "0");
        env.put("ABO_INFERENCE_WORKERS", Integer.toString(s.workers()));
        env.put("ABO_INFERENCE_MAX_IN_FLIGHT", Integer.toString(Math.max(32, maxC * 2)));
        env.put("ABO_INFERENCE_DEFAULT_SCORE_THRESHOLD", Double.toString(s.scoreThreshold()));
        env.put("ABO_INFERENCE_SHUTDOWN_GRACE_MS", "2000");
        InferenceConfig config = InferenceConfig.from(ConfigSource.of(env));
        ModelHolder holder = new ModelHolder();
        holder.swap(model);

        LoadedModel m = model;
        int limit = config.defaultMaxDetections();
        double threshold = s.scoreThreshold();
        Call local = () -> m.detect(ImageCodec.decode(jpeg), threshold, limit).size();

        Map<String, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService clients = pool("abo-bench-client", maxC);
        ExecutorService serverWorkers = pool("abo-bench-inference", s.workers());
        InferenceServer server = InferenceServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(config.maxInboundBytes()), config, holder, new InferenceMetrics(new SimpleMeterRegistry()),
                serverWorkers);
        // the client gets its own event loop (one thread, named), so the CPU of the two ends of the connection is told apart
        ClientLoop clientLoop = ClientLoop.start();
        NettyChannelBuilder channelBuilder = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .eventLoopGroup(clientLoop.group()).channelType(clientLoop.channelType());
        if (s.client() == Client.ASYNC) {
            channelBuilder.directExecutor();   // the callbacks below never block
        }
        ManagedChannel channel = channelBuilder.build();
        try {
            DetectionServiceGrpc.DetectionServiceBlockingStub stub = DetectionServiceGrpc.newBlockingStub(channel);
            AtomicLong ids = new AtomicLong();
            ByteString image = ByteString.copyFrom(jpeg);
            java.util.function.Supplier<DetectRequest> requests = () -> DetectRequest.newBuilder().setImage(image)
                    .setScoreThreshold((float) threshold).setRequestId("bench-" + ids.incrementAndGet()).build();
            Call blocking = () -> stub.withDeadlineAfter(s.deadlineMs(), TimeUnit.MILLISECONDS).detect(requests.get())
                    .getDetectionsCount();
            DetectionServiceGrpc.DetectionServiceStub async = DetectionServiceGrpc.newStub(channel);
            BatchRunner remote = s.client() == Client.BLOCKING ? (c, n, f) -> runBatch(clients, blocking, c, n, f)
                    : (c, n, f) -> runAsyncBatch(async, requests, s.deadlineMs(), c, n, f);
            BatchRunner inProcess = (c, n, f) -> runBatch(clients, local, c, n, f);
            int detections = local.call();
            // warm up: every client thread's network clone, the server workers' clones, Netty, and the JIT until quiet
            Map<String, Integer> ignored = new ConcurrentHashMap<>();
            long warmStart = System.nanoTime();
            long jitStart = jitMillis();
            List<Long> jitAfterPair = new ArrayList<>(List.of(jitStart));
            long lastPairsJit;
            do {
                // cycle through the levels (their code paths and thread counts differ), then pause: at full load the
                // compiler threads get little CPU and their backlog would finish in the timed rounds instead
                int c = s.concurrency().get((jitAfterPair.size() - 1) % s.concurrency().size());
                inProcess.run(c, s.warmup(), ignored);
                remote.run(c, s.warmup(), ignored);
                Thread.sleep(WARMUP_PAUSE_MS);
                jitAfterPair.add(jitMillis());
                int pairs = jitAfterPair.size() - 1;
                lastPairsJit = jitAfterPair.get(pairs) - jitAfterPair.get(Math.max(0, pairs - QUIET_PAIRS));
            } while (jitAfterPair.size() - 1 < MIN_WARMUP_PAIRS
                    || (lastPairsJit > s.jitQuietMs() && jitAfterPair.size() - 1 < s.maxWarmupPairs()));
            Warmup warm = new Warmup(jitAfterPair.size() - 1, (System.nanoTime() - warmStart) / 1e9, jitMillis() - jitStart,
                    lastPairsJit);
            if (!ignored.isEmpty()) {
                ignored.forEach((k, v) -> failures.merge("warmup:" + k, v, Integer::sum));
            }

            Map<String, Integer> localFailures = new ConcurrentHashMap<>();   // in Stats.failures only
            List<Level> levels = new ArrayList<>();
            for (int c : s.concurrency()) {
                Batch a = new Batch();
                Batch b = new Batch();
                for (int r = 0; r < s.rounds(); r++) {
                    int n = s.requests() / s.rounds() + (r < s.requests() % s.rounds() ? 1 : 0);
                    if (n == 0) {
                        continue;
                    }
                    if (r % 2 == 0) {
                        a.add(inProcess.run(c, n, localFailures));
                        b.add(remote.run(c, n, failures));
                    } else {
                        b.add(remote.run(c, n, failures));
                        a.add(inProcess.run(c, n, localFailures));
                    }
                }
                Stats sa = a.stats();
                Stats sb = b.stats();
                levels.add(new Level(c, sa, sb, sa.throughput() > 0 ? sb.throughput() / sa.throughput() : 0,
                        sb.cpuMsPerRequest() > 0 ? sa.cpuMsPerRequest() / sb.cpuMsPerRequest() : 0,
                        sb.cpuMsPerRequestWithoutJit() > 0 ? sa.cpuMsPerRequestWithoutJit() / sb.cpuMsPerRequestWithoutJit() : 0,
                        Batch.pairedRatioMedian(a, b)));
            }
            String omp = System.getenv("OMP_NUM_THREADS");
            return new Result(s, omp == null ? "unset" : omp, Runtime.getRuntime().availableProcessors(), scene.width(),
                    scene.height(), jpeg.length, params, detections, warm, levels, new TreeMap<>(failures));
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("serve benchmark failed: " + e, e);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            clientLoop.close();
            server.close();
            clients.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Call {
        int call() throws Exception;
    }

    /** {@code n} requests, {@code c} at a time, on one path. */
    @FunctionalInterface
    private interface BatchRunner {
        Round run(int c, int n, Map<String, Integer> failures) throws InterruptedException;
    }

    /** Latencies, wall time, process CPU time, compiler threads' CPU time and JIT compilation time of one round. */
    private record Round(long[] latencyNanos, int failures, long wallNanos, long cpuNanos, Map<ThreadCpu.Group, Long> threadCpuNanos,
                         long compileMs) {
        long jitCpuNanos() {
            return threadCpuNanos.get(ThreadCpu.Group.JIT);
        }
    }

    private static final class Batch {
        private final List<Round> rounds = new ArrayList<>();

        void add(Round r) {
            rounds.add(r);
        }

        /** Median over rounds of b's throughput over a's in the same round; 0 without rounds. */
        static double pairedRatioMedian(Batch a, Batch b) {
            return medianOfRatios(a.rounds.stream().mapToDouble(Batch::throughput).toArray(),
                    b.rounds.stream().mapToDouble(Batch::throughput).toArray());
        }

        private static double throughput(Round r) {
            return r.wallNanos() > 0 ? r.latencyNanos().length / (r.wallNanos() / 1e9) : 0;
        }

        Stats stats() {
            long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.latencyNanos())).sorted().toArray();
            int failed = rounds.stream().mapToInt(Round::failures).sum();
            double seconds = rounds.stream().mapToLong(Round::wallNanos).sum() / 1e9;
            double mean = all.length == 0 ? 0 : Arrays.stream(all).average().orElse(0) / 1e6;
            double cpuMs = rounds.stream().mapToLong(Round::cpuNanos).sum() / 1e6;
            double jitCpuMs = rounds.stream().mapToLong(Round::jitCpuNanos).sum() / 1e6;
            Map<String, Double> byThreads = new java.util.LinkedHashMap<>();
            for (ThreadCpu.Group g : ThreadCpu.Group.values()) {
                double ms = rounds.stream().mapToLong(r -> r.threadCpuNanos().get(g)).sum() / 1e6;
                byThreads.put(g.label, all.length == 0 ? 0 : ms / all.length);
            }
            return new Stats(all.length, failed, seconds, seconds > 0 ? all.length / seconds : 0,
                    percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, mean, all.length == 0 ? 0 : cpuMs / all.length,
                    all.length == 0 ? 0 : jitCpuMs / all.length, rounds.stream().mapToLong(Round::compileMs).sum(), byThreads);
        }
    }

    /** Median of {@code b[i] / a[i]} over the common length (mean of the middle two for an even count); 0 if empty. */
    static double medianOfRatios(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = b[i] / Math.max(1e-12, a[i]);
        }
        Arrays.sort(r);
        return n == 0 ? 0 : n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
    }

    /** Nearest rank; 0 for no samples. */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** {@code n} calls by {@code c} threads pulling from one counter; successful calls' latencies, failures by status code. */
    private static Round runBatch(ExecutorService pool, Call call, int c, int n, Map<String, Integer> failures)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[n];
        boolean[] ok = new boolean[n];
        LongAdder failed = new LongAdder();
        List<Future<?>> futures = new ArrayList<>();
        Meter meter = Meter.start();
        for (int t = 0; t < c; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    try {
                        call.call();
                        latencies[i] = System.nanoTime() - t0;
                        ok[i] = true;
                    } catch (StatusRuntimeException e) {
                        failed.increment();
                        failures.merge(e.getStatus().getCode().name(), 1, Integer::sum);
                    } catch (Exception e) {
                        failed.increment();
                        failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return meter.finish(latencies, ok, failed.intValue());
    }

    /** Wall, process CPU, CPU by kind of thread and compilation time from {@link #start} to {@link #finish}. */
    private record Meter(long wallStart, long cpuStart, Map<ThreadCpu.Group, Long> threadsStart, long compileStart) {
        static Meter start() {
            return new Meter(System.nanoTime(), processCpuNanos(), ThreadCpu.byGroup(), ThreadCpu.compileMillis());
        }

        Round finish(long[] latencies, boolean[] ok, int failed) {
            long wall = System.nanoTime() - wallStart;
            long cpu = processCpuNanos() - cpuStart;
            Map<ThreadCpu.Group, Long> threads = ThreadCpu.difference(ThreadCpu.byGroup(), threadsStart);
            long compile = ThreadCpu.compileMillis() - compileStart;
            long[] kept = new long[latencies.length - failed];
            int k = 0;
            for (int i = 0; i < latencies.length; i++) {
                if (ok[i]) {
                    kept[k++] = latencies[i];
                }
            }
            return new Round(Arrays.copyOf(kept, k), failed, wall, cpu, threads, compile);
        }
    }

    /**
     * {@code n} calls on the asynchronous stub, {@code c} in flight: each answer (or failure) starts the next call
     * from its callback until {@code n} were started; latencies of the successful calls, failures by status code.
     */
    private static Round runAsyncBatch(DetectionServiceGrpc.DetectionServiceStub stub,
                                       java.util.function.Supplier<DetectRequest> requests, long deadlineMs, int c, int n,
                                       Map<String, Integer> failures) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[n];
        boolean[] ok = new boolean[n];
        LongAdder failed = new LongAdder();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
        Meter meter = Meter.start();
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            long t0 = System.nanoTime();
            stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).detect(requests.get(), new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(DetectResponse response) {
                    latencies[i] = System.nanoTime() - t0;
                    ok[i] = true;
                }

                @Override
                public void onError(Throwable t) {
                    failed.increment();
                    failures.merge(t instanceof StatusRuntimeException e ? e.getStatus().getCode().name() : t.getClass().getSimpleName(),
                            1, Integer::sum);
                    done.countDown();
                    startNext[0].run();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                    startNext[0].run();
                }
            });
        };
        for (int t = 0; t < c; t++) {
            startNext[0].run();
        }
        done.await();
        return meter.finish(latencies, ok, failed.intValue());
    }

    /** JIT activity so far in ms: the compiler threads' CPU time, or the JVM's compilation time without /proc. */
    private static long jitMillis() {
        long cpu = ThreadCpu.compilerCpuNanos();
        return cpu > 0 ? cpu / 1_000_000 : ThreadCpu.compileMillis();
    }

    /** CPU time of all threads of this JVM so far. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

}
