package dev.abo.registry;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.platform.registry.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.abo.platform.config.ConfigSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Registries on the JVM's shared broker, each on its own topic, and raw HTTP helpers. */
final class TestRegistry {

    static final String TOKEN = "test-token-5e1f";
    private static final AtomicInteger TOPICS = new AtomicInteger();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestRegistry() {
    }

    static String newTopic() {
        return "anchors.snapshots.it-" + TOPICS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }

    static Map<String, String> settings(Path blobDir, String topic) {
        Map<String, String> m = new HashMap<>();
        m.put("KAFKA_BOOTSTRAP_SERVERS", EmbeddedKafkaBroker.sharedForTests().bootstrapServers());
        m.put("ABO_REGISTRY_BLOB_DIR", blobDir.toString());
        m.put("ABO_REGISTRY_TOPIC", topic);
        m.put("ABO_REGISTRY_PORT", "0");
        m.put("ABO_REGISTRY_TOKEN", TOKEN);
        return m;
    }

    static RegistryServer start(Path blobDir, String topic) {
        return start(settings(blobDir, topic));
    }

    static RegistryServer start(Map<String, String> settings) {
        return RegistryServer.start(RegistryConfig.from(ConfigSource.of(settings)));
    }

    static RegistryClient client(RegistryServer server) {
        return RegistryClient.create(server.baseUrl(), Optional.of(TOKEN));
    }

    /** A valid snapshot part: {@code anchors} anchors of (10k, 20k) px for k = 1.., input 128x128, classes a, b. */
    static JsonObject snapshot(int anchors, long step, Double ap50) {
        JsonArray a = new JsonArray();
        for (int k = 1; k <= anchors; k++) {
            a.add(new JsonObject().put("widthPx", 10.0 * k).put("heightPx", 20.0 * k));
        }
        JsonObject metrics = new JsonObject().put("loss", 1.5);
        if (ap50 != null) {
            metrics.put("ap50", ap50);
        }
        return new JsonObject().put("anchors", a).put("inputWidthPx", 128).put("inputHeightPx", 128)
                .put("classNames", new JsonArray().add("a").add("b")).put("trainingStep", step)
                .put("sourceOffsets", new JsonArray().add(new JsonObject().put("topic", "train.batches").put("partition", 0).put("nextOffset", step * 4)))
                .put("metrics", metrics);
    }

    static Path checkpoint(Path dir, String content) throws IOException {
        Path p = Files.createTempFile(dir, "ckpt-", ".bin");
        Files.writeString(p, content);
        return p;
    }

    /** A multipart POST built by hand, so tests can send what the client never would. */
    static HttpResponse<String> postSnapshot(RegistryServer server, String model, Optional<String> token, String snapshotPart,
                                             byte[] checkpoint, Optional<String> idempotencyKey) throws IOException, InterruptedException {
        String boundary = "b0undary";
        StringBuilder head = new StringBuilder();
        if (snapshotPart != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"snapshot\"\r\n\r\n")
                    .append(snapshotPart).append("\r\n");
        }
        byte[] headBytes;
        byte[] tail;
        if (checkpoint != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"checkpoint\"; filename=\"c.bin\"\r\n")
                    .append("Content-Type: application/octet-stream\r\n\r\n");
            tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        } else {
            tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            checkpoint = new byte[0];
        }
        headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[headBytes.length + checkpoint.length + tail.length];
        System.arraycopy(headBytes, 0, body, 0, headBytes.length);
        System.arraycopy(checkpoint, 0, body, headBytes.length, checkpoint.length);
        System.arraycopy(tail, 0, body, headBytes.length + checkpoint.length, tail.length);
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models/" + model + "/snapshots"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        token.ifPresent(t -> r.header("Authorization", "Bearer " + t));
        idempotencyKey.ifPresent(k -> r.header("Idempotency-Key", k));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String url, Optional<String> token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method.toUpperCase(Locale.ROOT), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> r.header("Authorization", "Bearer " + t));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send("GET", url, Optional.empty(), null);
    }
}
