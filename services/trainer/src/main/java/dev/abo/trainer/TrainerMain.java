package dev.abo.trainer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.abo.detector.Nd4jSetup;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.observe.HealthCheck;
import dev.abo.platform.observe.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer process: {@code java -cp ... dev.abo.trainer.TrainerMain} with the settings in the environment
 * ({@link TrainerConfig}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code METRICS_PORT}). Serves {@code /metrics} and
 * {@code /health} (checks {@code kafka} and {@code model}); SIGTERM stops gracefully (finish the step,
 * checkpoint, commit, close).
 */
public final class TrainerMain {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerMain.class);

    private TrainerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System.getenv()));
    }

    /** Runs until SIGTERM / Ctrl-C; returns the exit code. */
    public static int run(Map<String, String> env) throws Exception {
        TrainerConfig config = TrainerConfig.from(env);
        Nd4jSetup.enableHelpers();
        for (String problem : Nd4jSetup.report().problems()) {
            LOG.warn("ND4J runtime: {}", problem);
        }
        LOG.info("{}", config);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerService service = new TrainerService(config, registry, TrainerListener.NONE);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            service.stop();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abo-trainer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Admin admin = KafkaClients.admin(ConfigSource.of(env));
             MetricsServer server = MetricsServer.start(config.metrics(), registry)) {
            server.register("kafka", HealthCheck.kafka(admin, Duration.ofSeconds(2)));
            server.register("model", () -> service.modelReady()
                    ? HealthCheck.Result.up("step " + service.step())
                    : HealthCheck.Result.down("no model yet: waiting for the first valid batch"));
            LOG.info("metrics and health on {}", server.uri());
            service.run();
            return 0;
        } finally {
            done.countDown();
        }
    }
}
