package dev.abo.registry;

import dev.abo.platform.registry.RegistryClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic is the registry's memory: a new instance on the same topic and blob dir serves the same state. */
class RestartIT {

    @TempDir
    Path blobs;
    @TempDir
    Path work;

    @Test
    void aNewInstanceRebuildsVersionsPointerAndIdempotencyKeysFromTheTopic() throws Exception {
        String topic = TestRegistry.newTopic();
        JsonObject withHistogram = TestRegistry.snapshot(2, 30, 0.4).put("gtShapeHistogram", new JsonObject()
                .put("widthBins", 2).put("heightBins", 1).put("logWidthMin", 1.0).put("logWidthMax", 5.0)
                .put("logHeightMin", 1.0).put("logHeightMax", 5.0).put("counts", new JsonArray().add(7).add(0)));
        List<RegistryClient.SnapshotInfo> before;
        RegistryClient.Pointer pointerBefore;
        JsonNode v3Before;
        try (RegistryServer first = TestRegistry.start(blobs, topic)) {
            RegistryClient c = TestRegistry.client(first);
            c.publish("kept", TestRegistry.snapshot(2, 10, 0.5).encode(), TestRegistry.checkpoint(work, "k1"), "key-a");
            c.publish("kept", TestRegistry.snapshot(2, 20, 0.6).encode(), TestRegistry.checkpoint(work, "k2"), "key-b");
            c.publish("kept", withHistogram.encode(), TestRegistry.checkpoint(work, "k3"), "key-c");   // held: 0.4 < 0.6 - 0.01
            c.publish("other", TestRegistry.snapshot(1, 1, null).encode(), TestRegistry.checkpoint(work, "o1"));
            c.rollback("kept", Optional.empty());   // 2 -> 1
            before = c.list("kept");
            pointerBefore = c.promoted("kept");
            v3Before = c.getJson("kept", 3);
        }
        assertThat(pointerBefore.version()).isEqualTo(1L);

        try (RegistryServer second = TestRegistry.start(blobs, topic)) {
            RegistryClient c = TestRegistry.client(second);
            assertThat(c.models()).containsExactly("kept", "other");
            assertThat(c.list("kept")).isEqualTo(before);
            assertThat(c.promoted("kept")).isEqualTo(pointerBefore);
            assertThat(c.getJson("kept", 3)).isEqualTo(v3Before);
            assertThat(v3Before.path("gtShapeHistogram").path("counts").toString()).isEqualTo("[7,0]");
            // the promotion decision is part of the version's record: it survives the replay with it
            assertThat(v3Before.path("promotionDecision").path("promoted").asBoolean(true)).isFalse();
            assertThat(v3Before.path("promotionDecision").path("reason").asText()).startsWith("AP50 0.4000 is worse than promoted version 2's 0.6000");

            // a retry that arrives after the restart still finds its version
            RegistryClient.Published retried = c.publish("kept", TestRegistry.snapshot(2, 20, 0.6).encode(),
                    TestRegistry.checkpoint(work, "k2"), "key-b");
            assertThat(retried.created()).isFalse();
            assertThat(retried.snapshot().version()).isEqualTo(2L);
            RegistryClient.Published next = c.publish("kept", TestRegistry.snapshot(2, 40, 0.9).encode(), TestRegistry.checkpoint(work, "k4"));
            assertThat(next.snapshot().version()).isEqualTo(4L);
            Path down = work.resolve("k1.down");
            c.download("kept", 1, down);
            assertThat(Files.readString(down)).isEqualTo("k1");
        }
    }

    @Test
    void aSecondRegistryOnTheSameTopicFencesTheFirst() throws Exception {
        String topic = TestRegistry.newTopic();
        try (RegistryServer first = TestRegistry.start(blobs, topic)) {
            RegistryClient c1 = TestRegistry.client(first);
            c1.publish("single", TestRegistry.snapshot(1, 1, 0.5).encode(), TestRegistry.checkpoint(work, "s1"));
            try (RegistryServer second = TestRegistry.start(blobs, topic)) {
                RegistryClient c2 = new RegistryClient(java.net.URI.create(first.baseUrl()), Optional.of(TestRegistry.TOKEN),
                        java.time.Duration.ofSeconds(30), new RegistryClient.Retry(1, java.time.Duration.ZERO, java.time.Duration.ZERO));
                // the first lost its writer identity: its write is refused, nothing is written
                assertThatThrownBy(() -> c2.publish("single", TestRegistry.snapshot(1, 2, 0.5).encode(), TestRegistry.checkpoint(work, "s2")))
                        .isInstanceOfSatisfying(RegistryClient.RegistryException.class, e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.error()).isEqualTo("log_unavailable");
                        });
                RegistryClient.Published viaSecond = TestRegistry.client(second)
                        .publish("single", TestRegistry.snapshot(1, 2, 0.5).encode(), TestRegistry.checkpoint(work, "s2"));
                assertThat(viaSecond.snapshot().version()).isEqualTo(2L);
            }
        }
    }
}
