package dev.abo.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.abo.inference.InferenceConfig;
import dev.abo.inference.InferenceMetrics;
import dev.abo.inference.InferenceServer;
import dev.abo.inference.ModelHolder;
import dev.abo.inference.SnapshotFollower;
import dev.abo.loader.LoaderConfig;
import dev.abo.loader.LoaderResult;
import dev.abo.loader.LoaderService;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.Topics;
import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.registry.RegistryConfig;
import dev.abo.registry.RegistryServer;
import dev.abo.trainer.TrainerConfig;
import dev.abo.trainer.TrainerListener;
import dev.abo.trainer.TrainerService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Every service of the demo in this JVM, each started through its own public API with its own configuration
 * ({@link ServiceSettings}) and talking to the others over real Kafka, HTTP and gRPC on loopback, on free ports.
 * {@link #close} stops them in the order inference, trainers, loaders, registry, broker, each once, whatever
 * was started; a trainer stops gracefully (finishes its step, checkpoints, commits).
 */
final class DemoStack implements AutoCloseable {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private final PrintWriter log;
    private EmbeddedKafkaBroker broker;
    private RegistryServer registry;
    private InferenceServer inference;
    private SnapshotFollower follower;
    private ModelHolder models;
    private final List<Running<Void>> trainers = new ArrayList<>();
    private final List<Running<LoaderResult>> loaders = new ArrayList<>();
    private boolean servicesStopped;
    private boolean closed;

    /** A service with a blocking loop and its stop switch. */
    private record Running<T>(String name, Runnable stop, ServiceThread<T> thread, LoaderService loader) {
    }

    /** How a loader ended and the next batch it would have sent to each topic. */
    record StoppedLoader(LoaderResult result, long nextTrainBatch, long nextHeldOutBatch) {
    }

    DemoStack(PrintWriter log) {
        this.log = log;
    }

    synchronized String startBroker(Path dir) {
        broker = EmbeddedKafkaBroker.start(dir, 0, 0);
        return broker.bootstrapServers();
    }

    synchronized String startRegistry(Map<String, String> settings) {
        registry = RegistryServer.start(RegistryConfig.from(ConfigSource.of(settings)));
        return registry.baseUrl();
    }

    /** The gRPC server and the follower of the promoted snapshot; returns the gRPC port. */
    synchronized int startInference(Map<String, String> settings) {
        InferenceConfig config = InferenceConfig.from(ConfigSource.of(settings));
        InferenceMetrics metrics = new InferenceMetrics(new SimpleMeterRegistry());
        models = new ModelHolder();
        inference = InferenceServer.start(config, models, metrics);
        follower = SnapshotFollower.start(config, RegistryClient.create(config.registryUrl().orElseThrow(), Optional.empty()),
                models, metrics);
        return inference.port();
    }

    synchronized void startTrainer(String name, Map<String, String> settings, TrainerListener listener) {
        TrainerService service = new TrainerService(TrainerConfig.from(settings), new SimpleMeterRegistry(), listener);
        trainers.add(new Running<>(name, service::stop, ServiceThread.start("demo-" + name, () -> {
            service.run();
            return null;
        }), null));
    }

    synchronized void startLoader(String name, Map<String, String> settings) {
        LoaderConfig config = LoaderConfig.from(settings);
        LoaderService service = new LoaderService(config, new SimpleMeterRegistry(), Clock.systemUTC());
        loaders.add(new Running<>(name, service::stop, ServiceThread.start("demo-loader-" + name, service::run), service));
    }

    /** Stops the (last started) loader {@code name}: it flushes what it sent and returns. */
    StoppedLoader stopLoader(String name) {
        Running<LoaderResult> r;
        synchronized (this) {
            r = loaders.stream().filter(l -> l.name().equals(name)).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalArgumentException("no loader " + name));
        }
        r.stop().run();
        LoaderResult result = r.thread().await(STOP_TIMEOUT);
        return new StoppedLoader(result, r.loader().metrics().nextSequence(Topics.TRAIN_BATCHES.name()),
                r.loader().metrics().nextSequence(Topics.EVAL_BATCHES.name()));
    }

    /** A service loop that ended by itself with a failure, if any (a crashed trainer or loader). */
    synchronized Optional<String> failure() {
        for (Running<?> r : trainers) {
            if (r.thread().done()) {
                Optional<Throwable> f = r.thread().failure();
                return Optional.of(r.name() + (f.isPresent() ? " failed: " + f.get() : " stopped by itself"));
            }
        }
        for (Running<LoaderResult> r : loaders) {
            Optional<Throwable> f = r.thread().failure();
            if (f.isPresent()) {
                return Optional.of("loader " + r.name() + " failed: " + f.get());
            }
            if (r.thread().done()) {
                LoaderResult result = r.thread().await(Duration.ZERO);
                if (result.outcome() != LoaderResult.Outcome.COMPLETED && result.outcome() != LoaderResult.Outcome.STOPPED) {
                    return Optional.of("loader " + r.name() + " " + result.outcome() + ": " + result.message());
                }
            }
        }
        return Optional.empty();
    }

    /** The model being served: its version, or -1 before the first. */
    synchronized long servingVersion() {
        return models == null ? -1 : models.current().map(m -> m.version()).orElse(-1L);
    }

    /** Stops inference, then the trainers, then the loaders (the registry and the broker keep running). Idempotent. */
    synchronized void stopServices() {
        if (servicesStopped) {
            return;
        }
        servicesStopped = true;
        step("inference", () -> {
            if (follower != null) {
                follower.close();
            }
            if (inference != null) {
                inference.close();
            }
        });
        for (Running<Void> t : trainers) {
            t.stop().run();
        }
        for (Running<Void> t : trainers) {
            step(t.name(), () -> t.thread().await(STOP_TIMEOUT));
        }
        for (Running<LoaderResult> l : loaders) {
            l.stop().run();
        }
        for (Running<LoaderResult> l : loaders) {
            step("loader " + l.name(), () -> l.thread().await(STOP_TIMEOUT));
        }
    }

    /** Stops everything that runs: inference, trainers, loaders, then the registry and the broker. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopServices();
        step("registry", () -> {
            if (registry != null) {
                registry.close();
            }
        });
        step("broker", () -> {
            if (broker != null) {
                broker.close();
            }
        });
    }

    private void step(String what, Runnable stop) {
        long t0 = System.nanoTime();
        try {
            stop.run();
            log.printf("  stopped %s (%.1f s)%n", what, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            log.printf("  stopping %s failed: %s%n", what, e.getMessage());
        }
        log.flush();
    }
}
