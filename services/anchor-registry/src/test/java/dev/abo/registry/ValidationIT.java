package dev.abo.registry;

import dev.abo.platform.registry.RegistryClient;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule, each with its exact status, error code and reason, and each leaving the model as
 * it was: one version, no leftover upload. Limits are small here: checkpoints up to 64 bytes, the snapshot
 * part up to 2048 bytes.
 */
class ValidationIT {

    static final byte[] CKPT = "ckpt".getBytes(StandardCharsets.UTF_8);
    static final String CKPT_SHA = BlobStore.sha256(CKPT);

    @TempDir
    static Path blobs;
    static RegistryServer server;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = TestRegistry.settings(blobs, TestRegistry.newTopic());
        settings.put("ABO_REGISTRY_MAX_CHECKPOINT_BYTES", "64");
        settings.put("ABO_REGISTRY_MAX_METADATA_BYTES", "2048");
        server = TestRegistry.start(settings);
        HttpResponse<String> seed = post("base", valid().encode(), CKPT);
        assertThat(seed.statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** 3 anchors, 128x128, classes [a, b]: consistent with version 1 of "base". */
    static JsonObject valid() {
        return TestRegistry.snapshot(3, 5, 0.5);
    }

    static JsonObject with(UnaryOperator<JsonObject> change) {
        return change.apply(valid());
    }

    static HttpResponse<String> post(String model, String snapshot, byte[] checkpoint) throws Exception {
        return TestRegistry.postSnapshot(server, model, Optional.of(TestRegistry.TOKEN), snapshot, checkpoint, Optional.empty());
    }

    record Case(String name, String model, String snapshot, byte[] checkpoint, int status, String error, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static JsonArray anchors(double... wh) {
        JsonArray a = new JsonArray();
        for (int i = 0; i < wh.length; i += 2) {
            a.add(new JsonObject().put("widthPx", wh[i]).put("heightPx", wh[i + 1]));
        }
        return a;
    }

    static JsonObject histogram(long... counts) {
        return new JsonObject().put("widthBins", 2).put("heightBins", 2).put("logWidthMin", 0.0).put("logWidthMax", 5.0)
                .put("logHeightMin", 0.0).put("logHeightMax", 5.0).put("counts", new JsonArray(Arrays.stream(counts).boxed().toList()));
    }

    static Stream<Case> cases() {
        String other = BlobStore.sha256("other".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                new Case("upper-case model name", "Base", valid().encode(), CKPT, 400, "invalid_model_name",
                        "model name 'Base' must match [a-z0-9-]{1,64}"),
                new Case("65-character model name", "a".repeat(65), valid().encode(), CKPT, 400, "invalid_model_name",
                        "model name '" + "a".repeat(65) + "' must match [a-z0-9-]{1,64}"),
                new Case("dots in the model name", "a..b", valid().encode(), CKPT, 400, "invalid_model_name",
                        "model name 'a..b' must match [a-z0-9-]{1,64}"),
                new Case("encoded slash in the model name", "a%2Fb", valid().encode(), CKPT, 400, "invalid_model_name",
                        "model name 'a/b' must match [a-z0-9-]{1,64}"),
                new Case("zero width", "base", with(j -> j.put("anchors", anchors(10, 20, 0, 40, 30, 60))).encode(), CKPT, 400,
                        "invalid_anchors", "anchors[1].widthPx must be finite and > 0, was 0.0"),
                new Case("negative height", "base", with(j -> j.put("anchors", anchors(10, 20, 20, 40, 30, -3))).encode(), CKPT, 400,
                        "invalid_anchors", "anchors[2].heightPx must be finite and > 0, was -3.0"),
                // JSON has no Infinity; 1e999 overflows a double to +Infinity when parsed
                new Case("infinite width", "base", valid().encode().replace("\"widthPx\":10.0", "\"widthPx\":1e999"), CKPT, 400,
                        "invalid_anchors", "anchors[0].widthPx must be finite and > 0, was Infinity"),
                new Case("no anchors", "base", with(j -> j.put("anchors", new JsonArray())).encode(), CKPT, 400,
                        "invalid_anchors", "anchors must hold 1 to 64 anchors, had 0"),
                new Case("anchor count differs from the model's", "base", with(j -> j.put("anchors", anchors(10, 20, 20, 40))).encode(), CKPT,
                        409, "anchor_count_mismatch", "model base has 3 anchors (version 1), the snapshot has 2"),
                new Case("input size differs", "base", with(j -> j.put("inputWidthPx", 96)).encode(), CKPT, 409,
                        "input_size_mismatch", "model base has input size 128x128 (version 1), the snapshot has 96x128"),
                new Case("classes differ", "base", with(j -> j.put("classNames", new JsonArray().add("a").add("b").add("c"))).encode(),
                        CKPT, 409, "class_names_mismatch", "model base has 2 classes [a, b] (version 1), the snapshot has 3 [a, b, c]"),
                new Case("declared SHA-256 differs from the upload's", "base", with(j -> j.put("checkpointSha256", other)).encode(), CKPT,
                        422, "checksum_mismatch", "checkpoint SHA-256 is " + CKPT_SHA + ", the snapshot declares " + other),
                new Case("checkpoint over the limit", "base", valid().encode(), new byte[65], 413, "checkpoint_too_large",
                        "the checkpoint has 65 bytes, the limit is 64"),
                new Case("body over the limit", "base", valid().encode(), new byte[70_000], 413, "body_too_large",
                        "the request body is larger than " + (64 + 2048 + 65536) + " bytes"),
                new Case("snapshot part over the limit", "base", with(j -> j.put("padding", "x".repeat(2500))).encode(), CKPT, 413,
                        // the padding adds ,"padding":"<2500 x>" = 1 + 9 + 1 + 2 + 2500 bytes to the valid part
                        "metadata_too_large", "the 'snapshot' part has " + (valid().encode().length() + 2500 + 13)
                        + " bytes, the limit is 2048"),
                new Case("no checkpoint part", "base", valid().encode(), null, 400, "missing_part",
                        "exactly one 'checkpoint' file part is required, got 0"),
                new Case("no snapshot part", "base", null, CKPT, 400, "missing_part",
                        "the 'snapshot' part (snapshot JSON) is required"),
                new Case("snapshot part is not JSON", "base", "{not json", CKPT, 400, "invalid_json", null),
                new Case("no training step", "base", with(j -> {
                    j.remove("trainingStep");
                    return j;
                }).encode(), CKPT, 400, "missing_field", "field 'trainingStep' is required"),
                new Case("AP50 above 1", "base", with(j -> j.put("metrics", new JsonObject().put("ap50", 1.5))).encode(), CKPT, 400,
                        "invalid_field", "metrics.ap50 must be a finite number in [0.0, 1.0], was 1.5"),
                new Case("histogram of the wrong size", "base", with(j -> j.put("gtShapeHistogram", histogram(1, 2, 3))).encode(), CKPT,
                        400, "invalid_histogram", "gtShapeHistogram: counts must have widthBins * heightBins = 4 entries, had 3"),
                new Case("negative histogram count", "base", with(j -> j.put("gtShapeHistogram", histogram(1, 2, -3, 4))).encode(), CKPT,
                        400, "invalid_histogram", "gtShapeHistogram: counts[2] must be >= 0, was -3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesWithTheExactErrorAndChangesNothing(Case c) throws Exception {
        HttpResponse<String> r = post(c.model(), c.snapshot(), c.checkpoint());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo(c.error());
        if (c.reason() != null) {
            assertThat(body.getString("reason")).isEqualTo(c.reason());
        } else {
            assertThat(body.getString("reason")).startsWith("the snapshot part is not a JSON object: ");
        }
        assertUnchanged();
    }

    @Test
    void refusesAnIdempotencyKeyWithSpacesAndANonMultipartBody() throws Exception {
        HttpResponse<String> key = TestRegistry.postSnapshot(server, "base", Optional.of(TestRegistry.TOKEN), valid().encode(), CKPT,
                Optional.of("has space"));
        assertThat(key.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(key.body()).getString("error")).isEqualTo("invalid_idempotency_key");
        assertThat(new JsonObject(key.body()).getString("reason")).isEqualTo("Idempotency-Key must be 1-128 visible ASCII characters");

        HttpResponse<String> json = TestRegistry.send("POST", server.baseUrl() + "/v1/models/base/snapshots",
                Optional.of(TestRegistry.TOKEN), valid().encode());
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(new JsonObject(json.body()).getString("error")).isEqualTo("unsupported_media_type");
        assertUnchanged();
    }

    @Test
    void unknownModelsAndVersionsAre404AndABadVersionIs400() throws Exception {
        String base = server.baseUrl() + "/v1/models/";
        assertError(TestRegistry.get(base + "nope/snapshots"), 404, "model_not_found", "no model named nope");
        assertError(TestRegistry.get(base + "base/snapshots/9"), 404, "version_not_found", "model base has no version 9");
        assertError(TestRegistry.get(base + "base/snapshots/x1"), 400, "invalid_version", "version 'x1' must be an integer >= 1");
        assertError(TestRegistry.send("PUT", base + "base/promoted", Optional.of(TestRegistry.TOKEN), "{\"version\":9}"),
                404, "version_not_found", "model base has no version 9");
        assertError(TestRegistry.send("PUT", base + "base/promoted", Optional.of(TestRegistry.TOKEN), "{\"version\":\"1\"}"),
                400, "invalid_field", "field 'version' must be an integer >= 1, was 1");
        assertUnchanged();
    }

    static void assertError(HttpResponse<String> r, int status, String error, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo(error);
        assertThat(body.getString("reason")).isEqualTo(reason);
    }

    static void assertUnchanged() throws Exception {
        RegistryClient client = TestRegistry.client(server);
        assertThat(client.list("base")).extracting(RegistryClient.SnapshotInfo::version).containsExactly(1L);
        assertThat(client.promoted("base").version()).isEqualTo(1L);
        try (Stream<Path> uploads = Files.list(blobs.resolve("uploads"))) {
            assertThat(uploads.toList()).isEmpty();
        }
    }

    @Test
    void acceptsAMatchingDeclaredHashAndACheckpointExactlyAtTheLimit() throws Exception {
        HttpResponse<String> declared = post("edge", with(j -> j.put("checkpointSha256", CKPT_SHA)).encode(), CKPT);
        HttpResponse<String> atLimit = post("edge", valid().encode(), new byte[64]);

        assertThat(List.of(declared.statusCode(), atLimit.statusCode())).containsExactly(201, 201);
        assertThat(new JsonObject(atLimit.body()).getLong("checkpointSizeBytes")).isEqualTo(64L);
    }
}
