package dev.abo.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.proto.anchors.v1.AnchorSnapshot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The held-out set name of the metrics: parsed into the proto, listed back, bad values refused by name. */
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
}
