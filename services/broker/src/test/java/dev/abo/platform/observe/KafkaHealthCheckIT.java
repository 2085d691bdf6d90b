package dev.abo.platform.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.abo.broker.EmbeddedKafkaBroker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The platform's {@link HealthCheck#kafka} against a real broker and against a port nobody listens on. */
class KafkaHealthCheckIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void upWithTheNumberOfBrokersAndShownSoInHealth() throws Exception {
        try (Admin admin = admin(EmbeddedKafkaBroker.sharedForTests().bootstrapServers());
             MetricsServer server = MetricsServer.start(MetricsServerConfig.loopbackFreePort(),
                     new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HealthCheck kafka = HealthCheck.kafka(admin, Duration.ofSeconds(10));
            assertThat(kafka.check()).isEqualTo(HealthCheck.Result.up("1 broker(s)"));

            server.register("kafka", kafka);
            HttpResponse<String> health = get(server);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{"
                    + "\"kafka\":{\"status\":\"UP\",\"detail\":\"1 broker(s)\"}}}");
        }
    }

    @Test
    void noBrokerFailsWithinTheTimeoutAndHealthIsDown() throws Exception {
        try (Admin admin = admin("127.0.0.1:" + unusedPort());
             MetricsServer server = MetricsServer.start(MetricsServerConfig.loopbackFreePort(),
                     new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HealthCheck kafka = HealthCheck.kafka(admin, Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            assertThatThrownBy(kafka::check).isInstanceOfAny(TimeoutException.class, ExecutionException.class);
            // 1 s timeout; generous bound for a loaded 2-core machine, far below the admin's 60 s default
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

            server.register("kafka", kafka);
            HttpResponse<String> health = get(server);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("{\"status\":\"DOWN\",\"checks\":{\"kafka\":{\"status\":\"DOWN\",\"detail\":\"");
        }
    }

    private HttpResponse<String> get(MetricsServer server) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "100"));
    }

    /** A loopback port that was free a moment ago; nothing listens on it afterwards. */
    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
