package dev.abo.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import dev.abo.proto.anchors.v1.PromotionDecision;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The held-out set name and the promoted version's AP50 on it in the metrics, and the promotion decision: parsed
 * into the proto, listed back, bad values refused by name.
 */
class SnapshotJsonTest {

    private static JsonObject withSet(Object set) {
        JsonObject s = TestRegistry.snapshot(2, 40, 0.25);
        s.getJsonObject("metrics").put("heldOutSet", set);
        return s;
    }

    @Test
    void theHeldOutSetTravelsFromTheSubmissionToTheListing() {
        AnchorSnapshot parsed = SnapshotJson.parseSubmission(withSet("eval.batches-0@40.3..63.7").encode()).content();
        assertThat(parsed.getMetrics().getHeldOutSet()).isEqualTo("eval.batches-0@40.3..63.7");
        assertThat(parsed.getMetrics().getAp50()).isEqualTo(0.25);
        assertThat(SnapshotJson.summary(parsed, false).getJsonObject("metrics").getString("heldOutSet"))
                .isEqualTo("eval.batches-0@40.3..63.7");

        AnchorSnapshot without = SnapshotJson.parseSubmission(TestRegistry.snapshot(2, 40, 0.25).encode()).content();
        assertThat(without.getMetrics().hasHeldOutSet()).isFalse();
        assertThat(SnapshotJson.summary(without, false).getJsonObject("metrics").containsKey("heldOutSet")).isFalse();
    }

    @Test
    void aBadHeldOutSetIsRefusedNamingTheField() {
        for (Object bad : new Object[]{"", 7, "a\nb", "x".repeat(SnapshotJson.MAX_HELD_OUT_SET_CHARS + 1)}) {
            assertThatThrownBy(() -> SnapshotJson.parseSubmission(withSet(bad).encode()))
                    .as("heldOutSet %s", bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.error()).isEqualTo("invalid_field");
                        assertThat(e.reason()).contains("metrics.heldOutSet");
                    });
        }
        assertThat(SnapshotJson.parseSubmission(withSet("x".repeat(SnapshotJson.MAX_HELD_OUT_SET_CHARS)).encode())
                .content().getMetrics().getHeldOutSet()).hasSize(SnapshotJson.MAX_HELD_OUT_SET_CHARS);
    }

    private static JsonObject measuring(Object promotedAp50, Object promotedVersion) {
        JsonObject s = withSet("eval.batches-0@46.0..51.7");
        if (promotedAp50 != null) {
            s.getJsonObject("metrics").put("promotedAp50", promotedAp50);
        }
        if (promotedVersion != null) {
            s.getJsonObject("metrics").put("promotedVersion", promotedVersion);
        }
        return s;
    }

    @Test
    void thePromotedVersionsAp50RoundTripsThroughTheProtoAndTheListing() throws Exception {
        JsonObject submitted = measuring(0.125, 7);
        AnchorSnapshot parsed = SnapshotJson.parseSubmission(submitted.encode()).content();
        assertThat(parsed.getMetrics().getPromotedAp50()).isEqualTo(0.125);
        assertThat(parsed.getMetrics().getPromotedVersion()).isEqualTo(7L);
        // through the record bytes (new field numbers) and back to JSON: the same metrics object as submitted
        AnchorSnapshot fromLog = AnchorSnapshot.parseFrom(parsed.toByteArray());
        assertThat(SnapshotJson.summary(fromLog, false).getJsonObject("metrics")).isEqualTo(submitted.getJsonObject("metrics"));
        // and the listing parses as a submission again with equal metrics
        JsonObject listed = SnapshotJson.summary(fromLog, false).put("classNames", submitted.getJsonArray("classNames"));
        listed.remove("checkpointSha256");   // assigned by the registry: empty here
        assertThat(SnapshotJson.parseSubmission(listed.encode()).content().getMetrics()).isEqualTo(parsed.getMetrics());
    }

    @Test
    void aPromotedAp50WithoutItsVersionSetOrAp50IsRefused() {
        record Bad(JsonObject snapshot, String reason) {
        }
        JsonObject noAp = measuring(0.125, 7);
        noAp.getJsonObject("metrics").remove("ap50");
        JsonObject noSet = measuring(0.125, 7);
        noSet.getJsonObject("metrics").remove("heldOutSet");
        String together = "metrics.promotedAp50 and metrics.promotedVersion go together";
        String onTheSet = "metrics.ap50 and metrics.heldOutSet are required with it";
        for (Bad bad : new Bad[]{new Bad(measuring(0.125, null), together), new Bad(measuring(null, 7), together),
                new Bad(measuring(1.5, 7), "metrics.promotedAp50 must be a finite number in [0.0, 1.0], was 1.5"),
                new Bad(measuring(0.125, 0), "metrics.promotedVersion must be an integer >= 1, was 0"),
                new Bad(measuring(0.125, "7"), "metrics.promotedVersion must be an integer >= 1, was 7"),
                new Bad(noAp, onTheSet), new Bad(noSet, onTheSet)}) {
            assertThatThrownBy(() -> SnapshotJson.parseSubmission(bad.snapshot().encode()))
                    .as(bad.snapshot().getJsonObject("metrics").encode())
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.error()).isEqualTo("invalid_field");
                        assertThat(e.reason()).contains(bad.reason());
                    });
        }
    }

    @Test
    void theDecisionIsListedWithTheVersionAndThePolicyReasonWithAnAutomaticPointer() {
        AnchorSnapshot v3 = SnapshotJson.parseSubmission(withSet("s").encode()).content().toBuilder().setVersion(3)
                .setPromotionDecision(PromotionDecision.newBuilder().setPromoted(true).setReason("because")).build();
        assertThat(SnapshotJson.summary(v3, true).getJsonObject("promotionDecision"))
                .isEqualTo(new JsonObject().put("promoted", true).put("reason", "because"));
        PromotedPointer auto = PromotedPointer.newBuilder().setModelName("m").setVersion(3).setPromotedUnixMs(5)
                .setReason(AnchorRegistry.AUTO).build();
        assertThat(SnapshotJson.toJson(auto, Optional.of(v3))).isEqualTo(new JsonObject().put("model", "m").put("version", 3L)
                .put("promotedUnixMs", 5L).put("reason", "auto").put("policyReason", "because"));
        // a manual promotion of the same version: the policy's decision at creation is not why it is promoted now
        assertThat(SnapshotJson.toJson(auto.toBuilder().setReason(AnchorRegistry.MANUAL).build(), Optional.of(v3))
                .containsKey("policyReason")).isFalse();
        // a version written before decisions were recorded
        assertThat(SnapshotJson.summary(v3.toBuilder().clearPromotionDecision().build(), true).containsKey("promotionDecision")).isFalse();
        assertThat(SnapshotJson.toJson(auto, Optional.empty()).containsKey("policyReason")).isFalse();
    }
}
