package dev.abo.platform.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client of the registry's {@code /v1} API over {@code java.net.http}; no Vert.x, so publishers (the
 * trainer) can use it without the server's dependencies.
 *
 * <p>{@link #publish} sends one {@code Idempotency-Key} with every attempt of one publication and retries
 * connection failures and 429/5xx answers with exponential backoff, so a retried publish never makes two
 * versions: the registry answers a repeat with the version the first attempt made.
 */
public final class RegistryClient {

    /** An anchor's width and height in pixels of the network input. */
    public record AnchorWh(double widthPx, double heightPx) {
    }

    /** One version as the registry lists it. {@code ap50} is empty if it was not evaluated. */
    public record SnapshotInfo(String model, long version, List<AnchorWh> anchors, int inputWidthPx, int inputHeightPx,
                               long trainingStep, OptionalDouble ap50, String checkpointSha256, long checkpointSizeBytes,
                               long createdUnixMs, boolean promoted) {
    }

    /** The answer to a publish: the version, whether this publication created it, and the promotion decision. */
    public record Published(SnapshotInfo snapshot, boolean created, boolean promoted, String promotionReason) {
    }

    /** A model's promoted pointer. */
    public record Pointer(String model, long version, String reason, long promotedUnixMs) {
    }

    /** A refusal: the HTTP status and the registry's {@code error} code and {@code reason}. */
    public static final class RegistryException extends RuntimeException {
        private final int status;
        private final String error;

        public RegistryException(int status, String error, String reason) {
            super(status + " " + error + ": " + reason);
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    /**
     * Retries of {@link #publish}.
     *
     * @param maxAttempts    attempts in all, at least 1
     * @param initialBackoff wait before the second attempt; doubled for each further one, up to {@code maxBackoff}
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public static final Retry DEFAULT = new Retry(6, Duration.ofMillis(200), Duration.ofSeconds(5));

        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
        }

        Duration backoff(int attempt) {
            long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Optional<String> token;
    private final Duration timeout;
    private final Retry retry;
    private final HttpClient http;

    /**
     * @param base    e.g. {@code http://127.0.0.1:8081}
     * @param token   the bearer token for writes (empty for a local-demo registry)
     * @param timeout deadline of each HTTP call
     */
    public RegistryClient(URI base, Optional<String> token, Duration timeout, Retry retry) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.timeout = timeout;
        this.retry = retry;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public static RegistryClient create(String baseUrl, Optional<String> token) {
        return new RegistryClient(URI.create(baseUrl), token, Duration.ofSeconds(60), Retry.DEFAULT);
    }

    /** {@link #publish(String, String, Path, String)} with a fresh random idempotency key. */
    public Published publish(String model, String snapshotJson, Path checkpoint) {
        return publish(model, snapshotJson, checkpoint, UUID.randomUUID().toString());
    }

    /**
     * Publishes a snapshot: {@code snapshotJson} is the snapshot part (anchors, input size, class names,
     * step, offsets, metrics, optional histogram and checkpointSha256, see openapi.yaml), {@code checkpoint}
     * the model file. Every attempt carries {@code idempotencyKey}.
     */
    public Published publish(String model, String snapshotJson, Path checkpoint, String idempotencyKey) {
        String boundary = "abo-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + RegistryWire.SNAPSHOT_PART + "\"\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n\r\n"
                + snapshotJson + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + RegistryWire.CHECKPOINT_PART + "\"; filename=\"checkpoint.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = request("v1/models/" + path(model) + "/snapshots")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header(RegistryWire.IDEMPOTENCY_KEY_HEADER, idempotencyKey);
        for (int attempt = 1; ; attempt++) {
            try {
                HttpRequest r = request.copy().POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head), HttpRequest.BodyPublishers.ofFile(checkpoint),
                        HttpRequest.BodyPublishers.ofByteArray(tail))).build();
                HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
                int s = response.statusCode();
                if ((s == 429 || s >= 500) && attempt < retry.maxAttempts()) {
                    sleep(retry.backoff(attempt));
                    continue;
                }
                JsonNode body = ok(response);
                JsonNode promotion = body.path("promotion");
                return new Published(info(body), s == 201, promotion.path("promoted").asBoolean(), promotion.path("reason").asText());
            } catch (IOException e) {
                if (attempt >= retry.maxAttempts()) {
                    throw new UncheckedIOException("publish to " + base + " failed after " + attempt + " attempts", e);
                }
                sleep(retry.backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }
    }

    /** Names of the models with at least one version. */
    public List<String> models() {
        List<String> names = new ArrayList<>();
        get("v1/models").path("models").forEach(m -> names.add(m.path("name").asText()));
        return names;
    }

    /** The versions of {@code model}, oldest first. */
    public List<SnapshotInfo> list(String model) {
        List<SnapshotInfo> out = new ArrayList<>();
        get("v1/models/" + path(model) + "/snapshots").path("snapshots").forEach(s -> out.add(info(s)));
        return out;
    }

    public SnapshotInfo get(String model, long version) {
        return info(get("v1/models/" + path(model) + "/snapshots/" + version));
    }

    /** The full JSON of a version (class names, offsets, histogram). */
    public JsonNode getJson(String model, long version) {
        return get("v1/models/" + path(model) + "/snapshots/" + version);
    }

    public Pointer promoted(String model) {
        return pointer(get("v1/models/" + path(model) + "/promoted"));
    }

    public Pointer promote(String model, long version) {
        ObjectNode body = JSON.createObjectNode().put("version", version);
        return pointer(send(request("v1/models/" + path(model) + "/promoted")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build()));
    }

    /** Rolls the promoted pointer back to the newest older version, or to {@code toVersion}. */
    public Pointer rollback(String model, Optional<Long> toVersion) {
        String body = toVersion.map(v -> JSON.createObjectNode().put("version", v).toString()).orElse("");
        return pointer(send(request("v1/models/" + path(model) + "/rollback")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()));
    }

    /**
     * Downloads a version's checkpoint to {@code target} (via a temporary file in its directory) and
     * checks its SHA-256 against the registry's.
     *
     * @return the SHA-256
     */
    public String download(String model, long version, Path target) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".download-", ".tmp");
            try {
                HttpResponse<Path> response = http.send(request("v1/models/" + path(model) + "/snapshots/" + version + "/checkpoint")
                        .GET().build(), HttpResponse.BodyHandlers.ofFile(tmp));
                if (response.statusCode() != 200) {
                    throw error(response.statusCode(), Files.readString(tmp));
                }
                String declared = response.headers().firstValue(RegistryWire.CHECKPOINT_SHA256_HEADER).orElse("");
                String actual = Sha256.of(tmp);
                if (!actual.equals(declared)) {
                    throw new IllegalStateException("checkpoint of " + model + " v" + version + " has SHA-256 " + actual
                            + ", the registry says " + declared);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return actual;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + model + " v" + version + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest.Builder request(String relative) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(relative)).timeout(timeout);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private JsonNode get(String relative) {
        return send(request(relative).GET().build());
    }

    private JsonNode send(HttpRequest r) {
        try {
            return ok(http.send(r, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(r.method() + " " + r.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body());
        }
        return JSON.readTree(response.body());
    }

    private static RegistryException error(int status, String body) {
        try {
            JsonNode j = JSON.readTree(body);
            return new RegistryException(status, j.path("error").asText("unknown"), j.path("reason").asText(body));
        } catch (IOException e) {
            return new RegistryException(status, "unknown", body);
        }
    }

    private static SnapshotInfo info(JsonNode s) {
        List<AnchorWh> anchors = new ArrayList<>();
        s.path("anchors").forEach(a -> anchors.add(new AnchorWh(a.path("widthPx").asDouble(), a.path("heightPx").asDouble())));
        JsonNode ap = s.path("metrics").path("ap50");
        return new SnapshotInfo(s.path("model").asText(), s.path("version").asLong(), anchors, s.path("inputWidthPx").asInt(),
                s.path("inputHeightPx").asInt(), s.path("trainingStep").asLong(),
                ap.isNumber() ? OptionalDouble.of(ap.asDouble()) : OptionalDouble.empty(), s.path("checkpointSha256").asText(),
                s.path("checkpointSizeBytes").asLong(), s.path("createdUnixMs").asLong(), s.path("promoted").asBoolean());
    }

    private static Pointer pointer(JsonNode p) {
        return new Pointer(p.path("model").asText(), p.path("version").asLong(), p.path("reason").asText(), p.path("promotedUnixMs").asLong());
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during backoff", e);
        }
    }
}
