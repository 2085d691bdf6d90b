package dev.abo.registry;

import dev.abo.platform.registry.RegistryWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.abo.proto.anchors.v1.PromotedPointer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of an {@link AnchorRegistry}: the {@code /v1} REST API (see {@code openapi.yaml}), the web
 * page at {@code /}, {@code /metrics} and {@code /health}. Reads are open; writes need the bearer token.
 * Blocking work (hashing, file moves, Kafka writes) runs on worker threads.
 */
final class RegistryApi {

    static final String SNAPSHOT_PART = RegistryWire.SNAPSHOT_PART;
    static final String CHECKPOINT_PART = RegistryWire.CHECKPOINT_PART;
    static final String IDEMPOTENCY_KEY_HEADER = RegistryWire.IDEMPOTENCY_KEY_HEADER;
    static final String CHECKPOINT_SHA256_HEADER = RegistryWire.CHECKPOINT_SHA256_HEADER;
    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    /** Room for the multipart framing on top of the two parts. */
    static final long MULTIPART_OVERHEAD_BYTES = 64 * 1024;
    static final long SMALL_BODY_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);

    private final Vertx vertx;
    private final AnchorRegistry registry;
    private final RegistryConfig config;
    private final PrometheusMeterRegistry meters;
    private final HealthProbe health;

    RegistryApi(Vertx vertx, AnchorRegistry registry, RegistryConfig config, PrometheusMeterRegistry meters, HealthProbe health) {
        this.vertx = vertx;
        this.registry = registry;
        this.config = config;
        this.meters = meters;
        this.health = health;
    }

    /** Checks run by {@code /health}, each blocking; the endpoint runs them on a worker. */
    interface HealthProbe {
        JsonObject check();
    }

    Router router() {
        Router r = Router.router(vertx);
        r.get("/health").handler(this::health);
        r.get("/metrics").handler(PrometheusScrapingHandler.create(meters));
        Buffer openApi = resource("openapi.yaml");
        r.get("/v1/openapi.yaml").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml")
                .end(openApi));

        r.get("/v1/models").handler(ctx -> ctx.json(new JsonObject().put("models", modelList())));
        // authorization on a route of its own, before the body is read (Vert.x wants body handlers first on a route)
        r.post("/v1/models/:model/snapshots").handler(this::authorize);
        r.put("/v1/models/:model/promoted").handler(this::authorize);
        r.post("/v1/models/:model/rollback").handler(this::authorize);
        r.post("/v1/models/:model/snapshots")
                .handler(BodyHandler.create(config.blobDir().toAbsolutePath().resolve("uploads").toString())
                        .setBodyLimit(config.maxCheckpointBytes() + config.maxMetadataBytes() + MULTIPART_OVERHEAD_BYTES)
                        .setDeleteUploadedFilesOnEnd(false)
                        .setHandleFileUploads(true))
                .handler(this::create);
        r.get("/v1/models/:model/snapshots").handler(this::list);
        r.get("/v1/models/:model/snapshots/:version").handler(this::get);
        r.get("/v1/models/:model/snapshots/:version/checkpoint").handler(this::download);
        r.get("/v1/models/:model/promoted").handler(ctx ->
                ctx.json(pointerJson(registry.promoted(ModelName.check(ctx.pathParam("model"))))));
        r.put("/v1/models/:model/promoted")
                .handler(BodyHandler.create(false).setBodyLimit(SMALL_BODY_BYTES)).handler(this::promote);
        r.post("/v1/models/:model/rollback")
                .handler(BodyHandler.create(false).setBodyLimit(SMALL_BODY_BYTES)).handler(this::rollback);

        r.route("/v1/*").handler(ctx -> ctx.fail(new ApiException(404, "not_found", "no API route " + ctx.request().method()
                + " " + ctx.request().path())));
        r.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
        r.route().failureHandler(this::failure);
        return r;
    }

    private static Buffer resource(String name) {
        try (InputStream in = RegistryApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonArray modelList() {
        JsonArray models = new JsonArray();
        for (String m : registry.models()) {
            List<StoredSnapshot> versions = registry.versions(m);
            JsonObject j = new JsonObject().put("name", m).put("versions", versions.size())
                    .put("latestVersion", versions.get(versions.size() - 1).version());
            registry.promotedIfAny(m).ifPresent(p -> j.put("promotedVersion", p.getVersion()));
            models.add(j);
        }
        return models;
    }

    private void authorize(RoutingContext ctx) {
        if (config.token().isEmpty()) {
            ctx.next();   // local demo mode: writes are open
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        byte[] expected = ("Bearer " + config.token().get()).getBytes(StandardCharsets.UTF_8);
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"abo-registry\"");
            ctx.fail(new ApiException(401, "unauthorized", header == null
                    ? "writes need an Authorization: Bearer <token> header" : "the bearer token is not valid"));
            return;
        }
        ctx.next();
    }

    private void create(RoutingContext ctx) {
        String model = ModelName.check(ctx.pathParam("model"));
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            throw new ApiException(415, "unsupported_media_type", "POST multipart/form-data with a '" + SNAPSHOT_PART
                    + "' part (JSON) and a '" + CHECKPOINT_PART + "' part (the checkpoint file)");
        }
        String metadata = ctx.request().getFormAttribute(SNAPSHOT_PART);
        if (metadata == null) {
            throw ApiException.badRequest("missing_part", "the '" + SNAPSHOT_PART + "' part (snapshot JSON) is required");
        }
        int metadataBytes = metadata.getBytes(StandardCharsets.UTF_8).length;
        if (metadataBytes > config.maxMetadataBytes()) {
            throw new ApiException(413, "metadata_too_large", "the '" + SNAPSHOT_PART + "' part has " + metadataBytes
                    + " bytes, the limit is " + config.maxMetadataBytes());
        }
        List<FileUpload> uploads = ctx.fileUploads().stream().filter(u -> u.name().equals(CHECKPOINT_PART)).toList();
        if (uploads.size() != 1) {
            throw ApiException.badRequest("missing_part", "exactly one '" + CHECKPOINT_PART + "' file part is required, got " + uploads.size());
        }
        FileUpload upload = uploads.get(0);
        if (upload.size() > config.maxCheckpointBytes()) {
            throw new ApiException(413, "checkpoint_too_large", "the checkpoint has " + upload.size()
                    + " bytes, the limit is " + config.maxCheckpointBytes());
        }
        Optional<String> key = Optional.ofNullable(ctx.request().getHeader(IDEMPOTENCY_KEY_HEADER));
        if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
            throw ApiException.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1-128 visible ASCII characters");
        }
        SnapshotSubmission submission = SnapshotJson.parseSubmission(metadata);
        Path file = Path.of(upload.uploadedFileName());
        vertx.executeBlocking(() -> {
            String sha = BlobStore.sha256(file);
            String fingerprint = BlobStore.sha256((metadata + "\n" + sha).getBytes(StandardCharsets.UTF_8));
            return registry.create(model, submission, file, sha, upload.size(), key, fingerprint);
        }, false).onSuccess(result -> {
            boolean promoted = registry.promotedIfAny(model).map(p -> p.getVersion() == result.stored().version()).orElse(false);
            JsonObject body = SnapshotJson.toJson(result.stored(), promoted)
                    .put("promotion", new JsonObject().put("promoted", result.decision().promote())
                            .put("reason", result.decision().reason()));
            ctx.response().setStatusCode(result.created() ? 201 : 200)
                    .putHeader(HttpHeaders.LOCATION, "/v1/models/" + model + "/snapshots/" + result.stored().version());
            ctx.json(body);
        }).onFailure(ctx::fail);
    }

    private void list(RoutingContext ctx) {
        String model = ModelName.check(ctx.pathParam("model"));
        List<StoredSnapshot> versions = registry.versions(model);
        long promoted = registry.promotedIfAny(model).map(PromotedPointer::getVersion).orElse(0L);
        JsonArray items = new JsonArray();
        versions.forEach(v -> items.add(SnapshotJson.summary(v.snapshot(), v.version() == promoted)));
        JsonObject body = new JsonObject().put("model", model).put("snapshots", items);
        registry.promotedIfAny(model).ifPresent(p -> body.put("promoted", pointerJson(p)));
        ctx.json(body);
    }

    private void get(RoutingContext ctx) {
        String model = ModelName.check(ctx.pathParam("model"));
        long version = versionParam(ctx.pathParam("version"));
        StoredSnapshot s = registry.version(model, version);
        boolean promoted = registry.promotedIfAny(model).map(p -> p.getVersion() == version).orElse(false);
        ctx.json(SnapshotJson.toJson(s, promoted));
    }

    private void download(RoutingContext ctx) {
        String model = ModelName.check(ctx.pathParam("model"));
        long version = versionParam(ctx.pathParam("version"));
        StoredSnapshot s = registry.version(model, version);
        Path file = registry.checkpoint(model, version);
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
                .putHeader(CHECKPOINT_SHA256_HEADER, s.snapshot().getCheckpointSha256())
                .putHeader("Content-Disposition", "attachment; filename=\"" + model + "-v" + version + ".ckpt\"")
                .sendFile(file.toString())
                .onFailure(ctx::fail);
    }

    private void promote(RoutingContext ctx) {
        String model = ModelName.check(ctx.pathParam("model"));
        Optional<Long> version = versionInBody(ctx);
        if (version.isEmpty()) {
            throw ApiException.badRequest("missing_field", "field 'version' is required");
        }
        vertx.executeBlocking(() -> registry.promote(model, version.get()), false)
                .onSuccess(p -> ctx.json(pointerJson(p))).onFailure(ctx::fail);
    }

    private void rollback(RoutingContext ctx) {
        String model = ModelName.check(ctx.pathParam("model"));
        Optional<Long> version = versionInBody(ctx);
        vertx.executeBlocking(() -> registry.rollback(model, version), false)
                .onSuccess(p -> ctx.json(pointerJson(p))).onFailure(ctx::fail);
    }

    private JsonObject pointerJson(PromotedPointer p) {
        return SnapshotJson.toJson(p, registry.versionIfAny(p.getModelName(), p.getVersion()).map(StoredSnapshot::snapshot));
    }

    private static Optional<Long> versionInBody(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        JsonObject j;
        try {
            j = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.badRequest("invalid_json", "the body is not a JSON object");
        }
        Object v = j.getValue("version");
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 1) {
            throw ApiException.badRequest("invalid_field", "field 'version' must be an integer >= 1, was " + v);
        }
        return Optional.of(((Number) v).longValue());
    }

    private static long versionParam(String text) {
        if (text == null || !text.matches("[1-9][0-9]{0,17}")) {
            throw ApiException.badRequest("invalid_version", "version '" + text + "' must be an integer >= 1");
        }
        return Long.parseLong(text);
    }

    private void health(RoutingContext ctx) {
        vertx.executeBlocking(health::check, false).onSuccess(j -> {
            ctx.response().setStatusCode("UP".equals(j.getString("status")) ? 200 : 503);
            ctx.json(j);
        }).onFailure(ctx::fail);
    }

    private void failure(RoutingContext ctx) {
        Throwable f = ctx.failure();
        ApiException e;
        if (f instanceof ApiException api) {
            e = api;
        } else if (ctx.statusCode() == 413) {
            e = new ApiException(413, "body_too_large", "the request body is larger than "
                    + (config.maxCheckpointBytes() + config.maxMetadataBytes() + MULTIPART_OVERHEAD_BYTES) + " bytes");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            e = new ApiException(ctx.statusCode(), "bad_request", f == null ? "the request was refused" : String.valueOf(f.getMessage()));
        } else {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), f);
            e = new ApiException(500, "internal", f == null ? "internal error" : f.getClass().getSimpleName() + ": " + f.getMessage());
        }
        // the uploads of a refused request are gone before it is answered
        deleteUploads(ctx).onComplete(done -> {
            if (ctx.response().ended()) {
                return;
            }
            if (ctx.response().headWritten()) {
                ctx.response().reset();
                return;
            }
            ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error", e.error()).put("reason", e.reason()).encode());
        });
    }

    /** Deletes the uploads of a refused request (accepted ones were moved into the blob store). */
    private io.vertx.core.Future<Void> deleteUploads(RoutingContext ctx) {
        List<String> files = ctx.fileUploads().stream().map(FileUpload::uploadedFileName).toList();
        if (files.isEmpty()) {
            return io.vertx.core.Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            for (String f : files) {
                try {
                    Files.deleteIfExists(Path.of(f));
                } catch (IOException ignored) {
                    LOG.warn("cannot delete upload {}", f);
                }
            }
            return null;
        }, false);
    }

}
