package dev.abo.inference;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.abo.platform.config.ConfigSource;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Servers on 127.0.0.1:0 and plaintext Netty clients. */
final class TestServers {
    private TestServers() {
    }

    static InferenceConfig config(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("ABO_INFERENCE_PORT", "0");
        m.put("ABO_INFERENCE_SHUTDOWN_GRACE_MS", "2000");
        m.putAll(extra);
        return InferenceConfig.from(ConfigSource.of(m));
    }

    static InferenceMetrics metrics() {
        return new InferenceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    static InferenceServer start(InferenceConfig config, ModelHolder models, InferenceMetrics metrics) {
        return InferenceServer.start(config, models, metrics);
    }

    static InferenceServer start(InferenceConfig config, ModelHolder models, InferenceMetrics metrics, ExecutorService workers) {
        return InferenceServer.start(io.grpc.netty.NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(config.maxInboundBytes()), config, models, metrics, workers);
    }

    static ManagedChannel channel(InferenceServer server) {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static HealthCheckResponse.ServingStatus health(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    /** Waits (polling, up to 60 s) until {@code condition} holds; fails the test otherwise. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
