package dev.abo.inference;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import dev.abo.detector.Nd4jSetup;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.observe.HealthCheck;
import dev.abo.platform.observe.MetricsServer;
import dev.abo.platform.observe.MetricsServerConfig;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.platform.registry.RegistryWire;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference service: gRPC server, metrics on {@code METRICS_PORT}, an optional local checkpoint served
 * at start ({@code ABO_INFERENCE_CHECKPOINT}) and, with {@code ABO_REGISTRY_URL}, a follower of the promoted
 * snapshot. Runs until SIGTERM, then shuts down gracefully.
 */
public final class InferenceMain {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceMain.class);

    private InferenceMain() {
    }

    public static void main(String[] args) throws Exception {
        run(InferenceConfig.from(ConfigSource.fromEnv()));
    }

    /** Runs the service until the JVM is asked to stop. */
    public static void run(InferenceConfig config) throws Exception {
        Nd4jSetup.enableHelpers();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InferenceMetrics metrics = new InferenceMetrics(meters);
        ModelHolder models = new ModelHolder();
        if (config.checkpoint().isPresent()) {
            LoadedModel m = LoadedModel.load(config.checkpoint().get(), config.model(), config.checkpointVersion(), config.classNames());
            models.swap(m);
            metrics.modelLoaded();
        }
        MetricsServer http = MetricsServer.start(MetricsServerConfig.from(config.source()), meters);
        http.register("model", () -> models.current().map(m -> HealthCheck.Result.up(m.name() + " v" + m.version()))
                .orElse(HealthCheck.Result.down("no model loaded yet")));
        InferenceServer server = InferenceServer.start(config, models, metrics);
        SnapshotFollower follower = config.registryUrl().map(url -> SnapshotFollower.start(config,
                RegistryClient.create(url, config.source().optionalString(RegistryWire.TOKEN_ENV)), models, metrics)).orElse(null);
        LOG.info("inference serving gRPC on {}:{}, metrics on {}", config.bindHost(), server.port(), http.uri());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Optional.ofNullable(follower).ifPresent(SnapshotFollower::close);
            server.close();
            http.close();
            stopped.countDown();
        }, "abo-inference-shutdown"));
        server.awaitTermination();
        stopped.await();
    }
}
