package dev.abo.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.SnapshotMetrics;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {

    static final PromotionPolicy POLICY = new PromotionPolicy(0.01);

    static AnchorSnapshot withAp(long version, Double ap50) {
        SnapshotMetrics.Builder m = SnapshotMetrics.newBuilder();
        if (ap50 != null) {
            m.setAp50(ap50);
        }
        return AnchorSnapshot.newBuilder().setVersion(version).setMetrics(m).build();
    }

    @Test
    void promotesAtTheToleranceBoundaryAndHoldsJustBeyondIt() {
        // 0.74 = 0.75 - 0.01 exactly in decimals; in doubles 0.75 - 0.01 is 0.74000000000000000... + rounding
        assertThat(POLICY.decide(withAp(2, 0.74), Optional.of(withAp(1, 0.75))).promote()).isTrue();
        assertThat(POLICY.decide(withAp(2, 0.7399), Optional.of(withAp(1, 0.75))).promote()).isFalse();
        assertThat(POLICY.decide(withAp(2, 0.90), Optional.of(withAp(1, 0.75))).promote()).isTrue();
    }

    @Test
    void firstVersionPromotedUnevaluatedHeldUnlessThePromotedIsUnevaluatedToo() {
        assertThat(POLICY.decide(withAp(1, null), Optional.empty()))
                .isEqualTo(new PromotionPolicy.Decision(true, "no version of the model was promoted"));
        assertThat(POLICY.decide(withAp(2, null), Optional.of(withAp(1, 0.5))))
                .isEqualTo(new PromotionPolicy.Decision(false, "no AP50 to compare with promoted version 1"));
        assertThat(POLICY.decide(withAp(2, 0.1), Optional.of(withAp(1, null))))
                .isEqualTo(new PromotionPolicy.Decision(true, "promoted version 1 has no AP50"));
    }
}
