package dev.abo.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.inference.InferenceMain;
import dev.abo.loader.LoaderMain;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import dev.abo.registry.RegistryMain;
import dev.abo.trainer.TrainerCheckpoints;
import dev.abo.trainer.TrainerMain;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * The whole system on one machine: a KRaft broker in this JVM, and the anchor registry, the trainer, the
 * inference service and the camera's data-loader each as its own JVM started through its {@code *Main} with
 * its settings in the environment ({@link ServiceEnv}), talking over loopback Kafka, HTTP and gRPC. Ports
 * are picked once, so a restarted service comes back where the others look for it. Work directories live
 * under {@code target/e2e-work}, service logs in {@code target/e2e-logs/<service>-<run>.log}.
 */
final class RunningSystem implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration GRACE = Duration.ofSeconds(60);

    final EmbeddedKafkaBroker broker;
    final Path work;
    final Path logs;
    private final int registryPort;
    private final int inferencePort;
    private final int trainerMetricsPort;
    private final int inferenceMetricsPort;
    private final int cameraMetricsPort;
    private final List<ServiceProcess> started = new ArrayList<>();
    private ServiceProcess registry;
    private ServiceProcess trainer;
    private ServiceProcess inference;
    private ServiceProcess camera;
    private int registryRuns;
    private int trainerRuns;
    private ManagedChannel channel;

    private RunningSystem(EmbeddedKafkaBroker broker, Path work, Path logs) {
        this.broker = broker;
        this.work = work;
        this.logs = logs;
        int[] ports = FreePorts.pick(5);
        registryPort = ports[0];
        inferencePort = ports[1];
        trainerMetricsPort = ports[2];
        inferenceMetricsPort = ports[3];
        cameraMetricsPort = ports[4];
    }

    /** Starts the broker, then the registry, then the trainer, the inference service and the camera loader together. */
    static RunningSystem start() {
        Path target = Path.of("target");
        Path work = target.resolve("e2e-work");
        Path logs = target.resolve("e2e-logs");
        deleteRecursively(work);
        deleteRecursively(logs);
        RunningSystem s = new RunningSystem(EmbeddedKafkaBroker.forTests(), work.toAbsolutePath(), logs.toAbsolutePath());
        try {
            s.startRegistry();
            s.awaitRegistry();
            s.startTrainer();
            s.inference = s.launch("inference", new ChildJvm(InferenceMain.class.getName(), "768m"),
                    ServiceEnv.inference(s.bootstrap(), s.inferencePort, s.inferenceMetricsPort, work.resolve("inference-models").toAbsolutePath(),
                            s.registryUrl()));
            s.camera = s.launch("loader-camera", new ChildJvm(LoaderMain.class.getName(), "384m"),
                    ServiceEnv.camera(s.bootstrap(), s.cameraMetricsPort));
            s.awaitAnswering(s.trainer, s.trainerMetricsUrl("/health"));
            s.awaitAnswering(s.inference, s.inferenceMetricsUrl("/health"));
            s.awaitAnswering(s.camera, "http://127.0.0.1:" + s.cameraMetricsPort + "/health");
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    String trainerMetricsUrl(String path) {
        return "http://127.0.0.1:" + trainerMetricsPort + path;
    }

    String inferenceMetricsUrl(String path) {
        return "http://127.0.0.1:" + inferenceMetricsPort + path;
    }

    String cameraMetricsUrl() {
        return "http://127.0.0.1:" + cameraMetricsPort + "/metrics";
    }

    ServiceProcess registry() {
        return registry;
    }

    ServiceProcess trainer() {
        return trainer;
    }

    ServiceProcess inference() {
        return inference;
    }

    ServiceProcess camera() {
        return camera;
    }

    /** A new registry JVM on the same port, topic and blob directory (the previous one must be gone). */
    ServiceProcess startRegistry() {
        registry = launch("registry-" + (++registryRuns), new ChildJvm(RegistryMain.class.getName(), "256m"),
                ServiceEnv.registry(bootstrap(), registryPort, work.resolve("registry-blobs")));
        return registry;
    }

    /** Waits until the registry answers {@code /health} with 200 (it serves only after replaying its topic). */
    void awaitRegistry() {
        Await.until("registry healthy", START_TIMEOUT, () -> statusOf(registryUrl() + "/health") == 200,
                () -> registry.logTail(30));
    }

    /** A new trainer JVM on the same checkpoint directory (the previous one must be gone). */
    ServiceProcess startTrainer() {
        trainer = launch("trainer-" + (++trainerRuns), new ChildJvm(TrainerMain.class.getName(), "1g"),
                ServiceEnv.trainer(bootstrap(), trainerMetricsPort, trainerCheckpointDir(), registryUrl()));
        return trainer;
    }

    Path trainerCheckpointDir() {
        return work.resolve("trainer-checkpoints");
    }

    Path trainerCheckpoint() {
        return trainerCheckpointDir().resolve(TrainerCheckpoints.FILE);
    }

    RegistryClient registryClient() {
        return new RegistryClient(java.net.URI.create(registryUrl()), Optional.of(ServiceEnv.TOKEN), Duration.ofSeconds(30),
                new RegistryClient.Retry(3, Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    PrometheusText trainerMetrics() {
        return PrometheusText.scrape(trainerMetricsUrl("/metrics"));
    }

    PrometheusText inferenceMetrics() {
        return PrometheusText.scrape(inferenceMetricsUrl("/metrics"));
    }

    /** A blocking stub on one shared loopback channel; callers set their own deadline. */
    synchronized DetectionServiceGrpc.DetectionServiceBlockingStub detection() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", inferencePort).usePlaintext().build();
        }
        return DetectionServiceGrpc.newBlockingStub(channel);
    }

    /** Waits until {@code url} answers at all (any status): the process is up, its checks may still be DOWN. */
    void awaitAnswering(ServiceProcess p, String url) {
        Await.until(p.name() + " answering " + url, START_TIMEOUT, () -> {
            if (!p.isAlive()) {
                throw new AssertionError(p.name() + " exited before answering:\n" + p.logTail(40));
            }
            return statusOf(url) > 0;
        }, () -> p.logTail(30));
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    static int statusOf(String url) {
        try {
            return HttpGet.of(url).status();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    /** The tails of every service log, for failure messages. */
    String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (ServiceProcess p : started) {
            b.append("---- ").append(p.name()).append(p.isAlive() ? "" : " (exited)").append(" ----\n")
                    .append(p.logTail(lines)).append('\n');
        }
        return b.toString();
    }

    private ServiceProcess launch(String name, ChildJvm jvm, java.util.Map<String, String> env) {
        ServiceProcess p = ServiceProcess.start(name, jvm, env, logs);
        started.add(p);
        return p;
    }

    /** SIGTERM to every service still running (loaders first, the registry last), then the broker. */
    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ServiceProcess> order = new ArrayList<>(started);
        order.sort(Comparator.comparingInt(p -> p.name().startsWith("loader") ? 0 : p.name().startsWith("registry") ? 2 : 1));
        for (ServiceProcess p : order) {
            if (p.isAlive()) {
                try {
                    p.stop(GRACE);
                } catch (AssertionError e) {
                    System.err.println("e2e: " + e.getMessage());
                }
            }
            p.close();
        }
        broker.close();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
