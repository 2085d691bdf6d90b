package dev.abo.registry;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.abo.platform.kafka.KafkaClients;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A running registry: replays {@code anchors.snapshots} into an {@link AnchorRegistry}, then serves the
 * {@link RegistryApi} over HTTP. Nothing is served before the replay (and the blob sweep that follows it)
 * has finished; further sweeps run every {@code ABO_REGISTRY_BLOB_SWEEP_INTERVAL_MS} on a thread of their own.
 *
 * <pre>{@code
 * try (RegistryServer server = RegistryServer.start(RegistryConfig.from(ConfigSource.fromEnv()))) {
 *     System.out.println(server.baseUrl());
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    private final Vertx vertx;
    private final AnchorRegistry registry;
    private final Admin admin;
    private final HttpServer http;
    private final String host;
    private final Optional<ScheduledExecutorService> sweeps;

    private RegistryServer(Vertx vertx, AnchorRegistry registry, Admin admin, HttpServer http, String host,
                           Optional<ScheduledExecutorService> sweeps) {
        this.vertx = vertx;
        this.registry = registry;
        this.admin = admin;
        this.http = http;
        this.host = host;
        this.sweeps = sweeps;
    }

    public static RegistryServer start(RegistryConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static RegistryServer start(RegistryConfig config, Clock clock) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AnchorRegistry registry = AnchorRegistry.open(config, clock, meters);
        Vertx vertx = null;
        Admin admin = null;
        try {
            vertx = Vertx.builder()
                    .with(new VertxOptions()
                            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false))
                            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
                                    // POOL_* as well, or Prometheus warns about differing tag keys (infra-recipes V2)
                                    .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE,
                                            Label.POOL_TYPE, Label.POOL_NAME))))
                    .withMetrics(new MicrometerMetricsFactory(meters))
                    .build();
            admin = KafkaClients.admin(config.source());
            Admin healthAdmin = admin;
            RegistryApi api = new RegistryApi(vertx, registry, config, meters, () -> health(healthAdmin, registry));
            HttpServer http = vertx.createHttpServer(new HttpServerOptions()
                            // the snapshot JSON is a form attribute; Vert.x's default limit is 8 KiB
                            .setMaxFormAttributeSize(2 * config.maxMetadataBytes()))
                    .requestHandler(api.router());
            await(http.listen(config.port(), config.bindHost()));
            return new RegistryServer(vertx, registry, admin, http, config.bindHost(), scheduleSweeps(registry, config.blobSweepInterval()));
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            if (vertx != null) {
                await(vertx.close());
            }
            registry.close();
            throw e;
        }
    }

    /** Sweeps every {@code interval} after the start-up one (which {@link AnchorRegistry#open} ran); none for 0. */
    private static Optional<ScheduledExecutorService> scheduleSweeps(AnchorRegistry registry, Duration interval) {
        if (interval.isZero()) {
            return Optional.empty();
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "abo-registry-blob-sweep");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(registry::sweepOrphanBlobs, ms, ms, TimeUnit.MILLISECONDS);
        return Optional.of(executor);
    }

    private static JsonObject health(Admin admin, AnchorRegistry registry) {
        JsonObject checks = new JsonObject();
        boolean up = true;
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) HEALTH_TIMEOUT.toMillis()))
                    .nodes().get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            checks.put("kafka", new JsonObject().put("status", "UP").put("detail", nodes + " broker(s)"));
        } catch (Exception e) {
            up = false;
            checks.put("kafka", new JsonObject().put("status", "DOWN").put("detail", String.valueOf(e.getMessage())));
        }
        boolean writable = Files.isWritable(registry.blobs().root());
        up &= writable;
        checks.put("blobs", new JsonObject().put("status", writable ? "UP" : "DOWN").put("detail", registry.blobs().root().toString()));
        return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("registry HTTP server: " + cause.getMessage(), cause);
        }
    }

    public int port() {
        return http.actualPort();
    }

    /** {@code http://<host>:<port>}, with 127.0.0.1 for a wildcard bind address. */
    public String baseUrl() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + h + ":" + port();
    }

    public AnchorRegistry registry() {
        return registry;
    }

    /** Stops serving and sweeping, then closes the Kafka clients. */
    @Override
    public void close() {
        try {
            await(http.close());
            await(vertx.close());
        } finally {
            sweeps.ifPresent(RegistryServer::stopSweeps);
            admin.close();
            registry.close();
        }
    }

    /** Lets a running sweep finish (a replay and a directory walk), so it is not counted as failed. */
    private static void stopSweeps(ScheduledExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
