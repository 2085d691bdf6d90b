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

    static AnchorSnapshot withAp(long version, double ap50, String heldOutSet) {
        AnchorSnapshot s = withAp(version, ap50);
        return s.toBuilder().setMetrics(s.getMetrics().toBuilder().setHeldOutSet(heldOutSet)).build();
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

    @Test
    void comparesAp50OnlyOnTheSameHeldOutSet() {
        String before = "eval.batches-0@0.0..5.7";
        String after = "eval.batches-0@46.0..51.7";
        // same set: the tolerance rule (0.05 < 0.30 - 0.01)
        assertThat(POLICY.decide(withAp(2, 0.05, before), Optional.of(withAp(1, 0.30, before))).promote()).isFalse();
        // another set: the promoted AP50 says nothing about these images, the candidate is promoted
        assertThat(POLICY.decide(withAp(2, 0.05, after), Optional.of(withAp(1, 0.30, before))))
                .isEqualTo(new PromotionPolicy.Decision(true, "promoted version 1's AP50 0.3000 was measured on held-out set "
                        + before + ", this one's 0.0500 on " + after + ": not comparable"));
        // then the next version is guarded against it on the new set
        assertThat(POLICY.decide(withAp(3, 0.03, after), Optional.of(withAp(2, 0.05, after))).promote()).isFalse();
        assertThat(POLICY.decide(withAp(3, 0.045, after), Optional.of(withAp(2, 0.05, after))).promote()).isTrue();
        // a side without a set name (older trainer, manual upload) is compared as before
        assertThat(POLICY.decide(withAp(2, 0.05, after), Optional.of(withAp(1, 0.30))).promote()).isFalse();
        assertThat(POLICY.decide(withAp(2, 0.05), Optional.of(withAp(1, 0.30, before))).promote()).isFalse();
    }
}
