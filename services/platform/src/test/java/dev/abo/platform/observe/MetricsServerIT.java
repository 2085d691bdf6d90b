package dev.abo.platform.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.abo.platform.config.ConfigSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsServerIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextWithARegisteredCounter() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("abo.loader.batches", "source", "voc").increment(3);
        try (MetricsServer server = MetricsServer.start(MetricsServerConfig.loopbackFreePort(), registry)) {
            assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
            HttpResponse<String> r = get(server, "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_CONTENT_TYPE);
            assertThat(r.body().lines()).contains("abo_loader_batches_total{source=\"voc\"} 3.0");
            assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(405);
        }
    }

    @Test
    void healthIs200WhenAllChecksAreUpAnd503OtherwiseWithTheDetails() throws Exception {
        // HealthCheck.kafka against a real broker: services/broker's KafkaHealthCheckIT (the broker sits above this module)
        AtomicBoolean modelLoaded = new AtomicBoolean(false);
        try (MetricsServer server = MetricsServer.start(MetricsServerConfig.loopbackFreePort(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpResponse<String> none = get(server, "/health");
            assertThat(none.statusCode()).isEqualTo(200);
            assertThat(none.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{}}");

            server.register("kafka", () -> HealthCheck.Result.up("1 broker(s)"))
                    .register("model", () -> modelLoaded.get() ? HealthCheck.Result.up()
                            : HealthCheck.Result.down("no model loaded"));
            HttpResponse<String> down = get(server, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{"
                    + "\"kafka\":{\"status\":\"UP\",\"detail\":\"1 broker(s)\"},"
                    + "\"model\":{\"status\":\"DOWN\",\"detail\":\"no model loaded\"}}}");

            modelLoaded.set(true);
            HttpResponse<String> up = get(server, "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{"
                    + "\"kafka\":{\"status\":\"UP\",\"detail\":\"1 broker(s)\"},\"model\":{\"status\":\"UP\"}}}");

            server.register("model", () -> {
                throw new IllegalStateException("checkpoint missing");
            });
            HttpResponse<String> failing = get(server, "/health");
            assertThat(failing.statusCode()).isEqualTo(503);
            assertThat(failing.body()).contains("\"model\":{\"status\":\"DOWN\",\"detail\":\"IllegalStateException: checkpoint missing\"}");
        }
    }

    @Test
    void configNamesTheBadKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsServerConfig.from(ConfigSource.of(Map.of("METRICS_PORT", "http"))))
                .hasMessage("METRICS_PORT='http': expected an integer in [0, 65535]");
        assertThat(MetricsServerConfig.from(ConfigSource.of(Map.of())))
                .isEqualTo(new MetricsServerConfig("0.0.0.0", 9400));
    }
}
