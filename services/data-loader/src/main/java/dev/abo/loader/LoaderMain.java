package dev.abo.loader;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.observe.HealthCheck;
import dev.abo.platform.observe.MetricsServer;
import dev.abo.platform.observe.MetricsServerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;

/**
 * The data-loader process: {@code java -cp ... dev.abo.loader.LoaderMain}, configured by the environment
 * ({@link LoaderConfig}: {@code ABO_*}, {@code KAFKA_*}; {@code METRICS_BIND_HOST}, {@code METRICS_PORT} for
 * {@code /metrics} and {@code /health}, whose {@code kafka} check is UP while the brokers answer).
 * SIGTERM stops it gracefully (flush, close, exit 0). Exit codes: {@link LoaderResult.Outcome}; 2 also for
 * a bad setting.
 */
public final class LoaderMain {

    /** How long a shutdown hook waits for the loop to flush and close. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private LoaderMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: LoaderMain (configured by ABO_*, KAFKA_* and METRICS_* environment variables)");
            System.exit(2);
        }
        System.exit(run(System.getenv(), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a loader configured by {@code env} until it completes, fails, or the JVM is asked to stop.
     *
     * @param err where the final line (and a configuration error) is printed
     * @return the exit code
     */
    public static int run(Map<String, String> env, PrintWriter err) {
        LoaderConfig config;
        MetricsServerConfig metricsConfig;
        try {
            config = LoaderConfig.from(env);
            metricsConfig = MetricsServerConfig.from(ConfigSource.of(env));
            config.kafkaSource().requiredString("KAFKA_BOOTSTRAP_SERVERS");
        } catch (IllegalArgumentException e) {
            err.println("data-loader: " + e.getMessage());
            err.flush();
            return LoaderResult.Outcome.MISCONFIGURED.exitCode();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LoaderService service = new LoaderService(config, registry, Clock.systemUTC());
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(LoaderResult.Outcome.FAILED.exitCode());
        // SIGTERM: stop the loop, wait until it has flushed, closed and reported, then end the JVM with its
        // exit code (left alone, a JVM ended by a signal exits 143 whatever the main thread returns)
        Thread hook = new Thread(() -> {
            service.stop();
            try {
                if (finished.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    Runtime.getRuntime().halt(exitCode.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abo-loader-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try (MetricsServer server = MetricsServer.start(metricsConfig, registry);
                 Admin healthAdmin = KafkaClients.admin(config.kafkaSource())) {
                server.register("kafka", HealthCheck.kafka(healthAdmin, Duration.ofSeconds(2)));
                err.println("data-loader " + config.sourceId() + ": " + env.getOrDefault("ABO_SOURCE", "synthetic:mixed") + " -> " + config.topic()
                        + " (metrics " + server.uri() + "metrics)");
                err.flush();
                LoaderResult result = service.run();
                err.println("data-loader " + config.sourceId() + ": " + result.outcome().name().toLowerCase(Locale.ROOT)
                        + ": " + result.message());
                err.flush();
                exitCode.set(result.exitCode());
                return result.exitCode();
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it ends the JVM with our exit code
            }
        }
    }
}
