package dev.abo.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server: {@link DetectionServiceImpl}, gRPC health ({@code ""} and the detection service are
 * NOT_SERVING until the first model is loaded, then SERVING) and reflection v1, on Netty with a request
 * size limit. {@link #close} shuts down in three steps: health NOT_SERVING, stop accepting calls and let
 * running ones finish within the grace period, then cancel what is left.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

    private final Server server;
    private final HealthStatusManager health;
    private final ExecutorService workers;
    private final DetectionServiceImpl service;
    private final Duration grace;

    private InferenceServer(Server server, HealthStatusManager health, ExecutorService workers, DetectionServiceImpl service,
                            Duration grace) {
        this.server = server;
        this.health = health;
        this.workers = workers;
        this.service = service;
        this.grace = grace;
    }

    /** Binds {@code config.bindHost():config.port()} and serves whatever {@code models} holds. */
    public static InferenceServer start(InferenceConfig config, ModelHolder models, InferenceMetrics metrics) {
        return start(NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.port()))
                .maxInboundMessageSize(config.maxInboundBytes()), config, models, metrics, workerPool(config.workers()));
    }

    /**
     * Builds the server on {@code builder} (a test may pass an in-process builder), running inference on
     * {@code workers}, which this server shuts down on close. Handlers run directly on the transport threads
     * ({@code directExecutor}): none of them blocks (the detection service admits a request and hands it to a
     * worker; health and reflection answer from memory), and gRPC's default executor would add a thread
     * hop to every call, which on 2 busy cores costs about a millisecond (README, bench serve).
     */
    public static InferenceServer start(io.grpc.ServerBuilder<?> builder, InferenceConfig config, ModelHolder models,
                                        InferenceMetrics metrics, ExecutorService workers) {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        health.setStatus(DetectionServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        DetectionServiceImpl service = new DetectionServiceImpl(models, workers, metrics, DetectionServiceImpl.Limits.of(config));
        Server server;
        try {
            server = builder.directExecutor().addService(service).addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance()).build().start();
        } catch (IOException e) {
            workers.shutdownNow();
            throw new UncheckedIOException("cannot start the inference server on " + config.bindHost() + ":" + config.port(), e);
        }
        metrics.track(models);
        models.onSwap(m -> {
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
            health.setStatus(DetectionServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        });
        return new InferenceServer(server, health, workers, service, config.shutdownGrace());
    }

    /** A fixed pool: each thread keeps its own network clone for its whole life (dl4j-recipes 5.7). */
    static ExecutorService workerPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "abo-inference-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The bound port (useful when the config asked for 0). */
    public int port() {
        return server.getPort();
    }

    public DetectionServiceImpl service() {
        return service;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        health.enterTerminalState();   // 1. load balancers and probes stop sending traffic
        server.shutdown();             // 2. no new calls; running ones continue
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("calls still running after the {} ms grace period: cancelling them", grace.toMillis());
                server.shutdownNow();  // 3. cancel the rest
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            workers.shutdownNow();
        }
    }
}
