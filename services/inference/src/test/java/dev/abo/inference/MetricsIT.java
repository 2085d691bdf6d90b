package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import dev.abo.platform.observe.MetricsServer;
import dev.abo.platform.observe.MetricsServerConfig;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters as Prometheus scrapes them from the platform's /metrics endpoint. */
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void requestsByCodeLatencyAndModelVersionAreExported() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InferenceMetrics metrics = new InferenceMetrics(meters);
        ModelHolder holder = new ModelHolder();
        try (MetricsServer http = MetricsServer.start(MetricsServerConfig.loopbackFreePort(), meters);
             InferenceServer server = TestServers.start(TestServers.config(Map.of()), holder, metrics)) {
            holder.swap(TestModels.load(dir, "tiny", 12, 16));
            ManagedChannel channel = TestServers.channel(server);
            try {
                var stub = DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                ByteString image = ByteString.copyFrom(TestModels.image64x48());
                stub.detect(DetectRequest.newBuilder().setImage(image).build());
                stub.detect(DetectRequest.newBuilder().setImage(image).build());
                catchThrowableOfType(StatusRuntimeException.class, () -> stub.detect(DetectRequest.newBuilder().build()));
            } finally {
                TestServers.close(channel);
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http.uri().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().lines()).contains(
                    "abo_inference_requests_total{code=\"OK\",method=\"Detect\"} 2.0",
                    "abo_inference_requests_total{code=\"INVALID_ARGUMENT\",method=\"Detect\"} 1.0",
                    "abo_inference_latency_seconds_count{method=\"Detect\"} 3",
                    "abo_inference_forward_passes_total 2.0",
                    "abo_inference_model_version 12.0");
            assertThat(r.body()).contains("abo_inference_latency_seconds_bucket{method=\"Detect\",le=");
        }
    }
}
