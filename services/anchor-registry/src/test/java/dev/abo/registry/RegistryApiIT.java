package dev.abo.registry;

import dev.abo.platform.registry.RegistryClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /v1 API end to end: real broker, real HTTP, the Java client. */
class RegistryApiIT {

    @TempDir
    static Path blobs;
    @TempDir
    static Path work;
    static RegistryServer server;
    static RegistryClient client;

    @BeforeAll
    static void start() {
        server = TestRegistry.start(blobs, TestRegistry.newTopic());
        client = TestRegistry.client(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createListGetPromoteRollbackAndDownload() throws Exception {
        Path c1 = TestRegistry.checkpoint(work, "checkpoint one");
        RegistryClient.Published v1 = client.publish("life", TestRegistry.snapshot(3, 100, 0.50).encode(), c1);
        RegistryClient.Published v2 = client.publish("life", TestRegistry.snapshot(3, 200, 0.60).encode(),
                TestRegistry.checkpoint(work, "checkpoint two"));
        RegistryClient.Published v3 = client.publish("life", TestRegistry.snapshot(3, 300, 0.70).encode(),
                TestRegistry.checkpoint(work, "checkpoint three"));

        assertThat(List.of(v1.snapshot().version(), v2.snapshot().version(), v3.snapshot().version())).containsExactly(1L, 2L, 3L);
        assertThat(List.of(v1.created(), v2.created(), v3.created())).containsOnly(true);
        // each is at least as good as the one before: all auto-promoted, the pointer ends at 3
        assertThat(List.of(v1.promoted(), v2.promoted(), v3.promoted())).containsOnly(true);
        assertThat(client.promoted("life")).extracting(RegistryClient.Pointer::version, RegistryClient.Pointer::reason)
                .containsExactly(3L, "auto");

        List<RegistryClient.SnapshotInfo> list = client.list("life");
        assertThat(list).extracting(RegistryClient.SnapshotInfo::version).containsExactly(1L, 2L, 3L);
        assertThat(list).extracting(RegistryClient.SnapshotInfo::trainingStep).containsExactly(100L, 200L, 300L);
        assertThat(list).extracting(RegistryClient.SnapshotInfo::promoted).containsExactly(false, false, true);
        assertThat(list.get(0).anchors()).containsExactly(new RegistryClient.AnchorWh(10, 20),
                new RegistryClient.AnchorWh(20, 40), new RegistryClient.AnchorWh(30, 60));
        // "checkpoint one" is 14 bytes; its SHA-256 is computed independently by the JDK here
        assertThat(list.get(0).checkpointSizeBytes()).isEqualTo(14);
        assertThat(list.get(0).checkpointSha256()).isEqualTo(BlobStore.sha256("checkpoint one".getBytes(StandardCharsets.UTF_8)));
        assertThat(client.models()).contains("life");

        JsonObject full = new JsonObject(client.getJson("life", 2).toString());
        assertThat(full.getJsonArray("classNames").getList()).containsExactly("a", "b");
        assertThat(full.getJsonArray("sourceOffsets").getJsonObject(0).getLong("nextOffset")).isEqualTo(800L);
        assertThat(full.getJsonObject("metrics").getDouble("ap50")).isEqualTo(0.60);

        assertThat(client.promote("life", 1)).extracting(RegistryClient.Pointer::version, RegistryClient.Pointer::reason)
                .containsExactly(1L, "manual");
        assertThat(client.promoted("life").version()).isEqualTo(1L);
        assertThat(client.promote("life", 3).version()).isEqualTo(3L);
        // rollback without a target: the newest version older than the promoted 3
        assertThat(client.rollback("life", Optional.empty())).extracting(RegistryClient.Pointer::version, RegistryClient.Pointer::reason)
                .containsExactly(2L, "rollback");
        assertThat(client.rollback("life", Optional.of(1L)).version()).isEqualTo(1L);
        assertThatThrownBy(() -> client.rollback("life", Optional.empty()))
                .isInstanceOfSatisfying(RegistryClient.RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error()).isEqualTo("no_older_version");
                });

        Path downloaded = work.resolve("down/v2.ckpt");
        String sha = client.download("life", 2, downloaded);
        assertThat(Files.readString(downloaded)).isEqualTo("checkpoint two");
        assertThat(sha).isEqualTo(BlobStore.sha256("checkpoint two".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> raw = TestRegistry.get(server.baseUrl() + "/v1/models/life/snapshots/2/checkpoint");
        assertThat(raw.headers().firstValue("X-Checkpoint-SHA256")).contains(sha);
        // the blob is stored under its hash
        assertThat(blobs.resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha)).hasContent("checkpoint two");
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameVersionAndADifferentRequestWithItIsRefused() throws Exception {
        String body = TestRegistry.snapshot(2, 10, 0.3).encode();
        Path ckpt = TestRegistry.checkpoint(work, "idem");
        RegistryClient.Published first = client.publish("idem", body, ckpt, "key-1");
        RegistryClient.Published again = client.publish("idem", body, TestRegistry.checkpoint(work, "idem"), "key-1");

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.snapshot()).isEqualTo(first.snapshot());
        assertThat(client.list("idem")).hasSize(1);

        HttpResponse<String> raw = TestRegistry.postSnapshot(server, "idem", Optional.of(TestRegistry.TOKEN), body,
                "idem".getBytes(StandardCharsets.UTF_8), Optional.of("key-1"));
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(raw.body()).getLong("version")).isEqualTo(1L);

        HttpResponse<String> reused = TestRegistry.postSnapshot(server, "idem", Optional.of(TestRegistry.TOKEN),
                TestRegistry.snapshot(2, 11, 0.3).encode(), "idem".getBytes(StandardCharsets.UTF_8), Optional.of("key-1"));
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(reused.body()).getString("error")).isEqualTo("idempotency_key_reused");
        assertThat(client.list("idem")).hasSize(1);

        RegistryClient.Published other = client.publish("idem", body, ckpt, "key-2");
        assertThat(other.created()).isTrue();
        assertThat(other.snapshot().version()).isEqualTo(2L);
    }

    @Test
    void unauthenticatedWritesGet401AndChangeNothing() throws Exception {
        client.publish("guarded", TestRegistry.snapshot(2, 1, 0.5).encode(), TestRegistry.checkpoint(work, "g1"));
        client.publish("guarded", TestRegistry.snapshot(2, 2, 0.5).encode(), TestRegistry.checkpoint(work, "g2"));
        String base = server.baseUrl() + "/v1/models/guarded";
        List<RegistryClient.SnapshotInfo> before = client.list("guarded");

        for (Optional<String> token : List.of(Optional.<String>empty(), Optional.of("wrong"))) {
            HttpResponse<String> post = TestRegistry.postSnapshot(server, "guarded", token, TestRegistry.snapshot(2, 3, 0.9).encode(),
                    "g3".getBytes(StandardCharsets.UTF_8), Optional.empty());
            HttpResponse<String> put = TestRegistry.send("PUT", base + "/promoted", token, "{\"version\":1}");
            HttpResponse<String> rollback = TestRegistry.send("POST", base + "/rollback", token, "");
            for (HttpResponse<String> r : List.of(post, put, rollback)) {
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"abo-registry\"");
                assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("unauthorized");
            }
        }
        assertThat(client.list("guarded")).isEqualTo(before);
        assertThat(client.promoted("guarded").version()).isEqualTo(2L);
        // reads need no token
        assertThat(TestRegistry.get(base + "/snapshots").statusCode()).isEqualTo(200);
    }

    @Test
    void guardedPromotionHoldsASnapshotThatIsWorseByMoreThanTheTolerance() throws Exception {
        RegistryClient.Published v1 = client.publish("guard", TestRegistry.snapshot(2, 1, 0.70).encode(), TestRegistry.checkpoint(work, "p1"));
        // 0.695 >= 0.70 - 0.01: promoted
        RegistryClient.Published v2 = client.publish("guard", TestRegistry.snapshot(2, 2, 0.695).encode(), TestRegistry.checkpoint(work, "p2"));
        // 0.60 < 0.695 - 0.01: stored, waits
        RegistryClient.Published v3 = client.publish("guard", TestRegistry.snapshot(2, 3, 0.60).encode(), TestRegistry.checkpoint(work, "p3"));
        // no AP50: nothing shows it is not worse, waits
        RegistryClient.Published v4 = client.publish("guard", TestRegistry.snapshot(2, 4, null).encode(), TestRegistry.checkpoint(work, "p4"));

        assertThat(List.of(v1.promoted(), v2.promoted(), v3.promoted(), v4.promoted())).containsExactly(true, true, false, false);
        String held = "AP50 0.6000 is worse than promoted version 2's 0.6950 by more than 0.0100"
                + " (a held-out set is not named: compared as they are)";
        assertThat(v3.promotionReason()).isEqualTo(held);
        assertThat(v4.promotionReason()).isEqualTo("no AP50 to compare with promoted version 2");
        assertThat(client.promoted("guard").version()).isEqualTo(2L);
        // each decision is stored with its version; the automatic pointer shows the reason of the one it points at
        assertThat(new JsonObject(client.getJson("guard", 3).toString()).getJsonObject("promotionDecision"))
                .isEqualTo(new JsonObject().put("promoted", false).put("reason", held));
        String promotedReason = "AP50 0.6950 is within 0.0100 of promoted version 1's 0.7000 or better"
                + " (a held-out set is not named: compared as they are)";
        assertThat(new JsonObject(client.getJson("guard", 2).toString()).getJsonObject("promotionDecision"))
                .isEqualTo(new JsonObject().put("promoted", true).put("reason", promotedReason));
        JsonObject pointer = new JsonObject(TestRegistry.get(server.baseUrl() + "/v1/models/guard/promoted").body());
        assertThat(pointer.getString("reason")).isEqualTo("auto");
        assertThat(pointer.getString("policyReason")).isEqualTo(promotedReason);
        // an idempotent replay answers with the decision made when the version was created
        RegistryClient.Published again = client.publish("guard", TestRegistry.snapshot(2, 5, 0.60).encode(),
                TestRegistry.checkpoint(work, "p5"), "guard-key");
        RegistryClient.Published replay = client.publish("guard", TestRegistry.snapshot(2, 5, 0.60).encode(),
                TestRegistry.checkpoint(work, "p5"), "guard-key");
        assertThat(replay.created()).isFalse();
        assertThat(replay.promotionReason()).isEqualTo("idempotent replay of version " + again.snapshot().version()
                + "; when it was created: held, " + held);
        assertThat(client.list("guard")).extracting(RegistryClient.SnapshotInfo::version).containsExactly(1L, 2L, 3L, 4L, 5L);
        // a manual promotion overrides the guard, and the pointer no longer shows a policy reason
        assertThat(client.promote("guard", 3).version()).isEqualTo(3L);
        assertThat(new JsonObject(TestRegistry.get(server.baseUrl() + "/v1/models/guard/promoted").body())
                .containsKey("policyReason")).isFalse();
    }

    @Test
    void servesOpenApiHealthAndMetrics() throws Exception {
        client.publish("metered", TestRegistry.snapshot(1, 1, 0.1).encode(), TestRegistry.checkpoint(work, "m"));
        HttpResponse<String> api = TestRegistry.get(server.baseUrl() + "/v1/openapi.yaml");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).startsWith("openapi: 3.0.3").contains("/v1/models/{model}/snapshots/{version}/checkpoint:");

        HttpResponse<String> health = TestRegistry.get(server.baseUrl() + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonObject h = new JsonObject(health.body());
        assertThat(h.getString("status")).isEqualTo("UP");
        assertThat(h.getJsonObject("checks").getJsonObject("kafka").getString("status")).isEqualTo("UP");

        HttpResponse<String> metrics = TestRegistry.get(server.baseUrl() + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("abo_registry_snapshots_accepted_total [1-9]")
                .contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/health\"}")
                .contains("jvm_memory_used_bytes");
    }
}
