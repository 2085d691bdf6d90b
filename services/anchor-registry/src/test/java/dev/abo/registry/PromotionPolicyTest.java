package dev.abo.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.SnapshotMetrics;
import org.junit.jupiter.api.Test;

/** Every decision and its reason, with the AP50 values and the tolerance arithmetic done by hand. */
class PromotionPolicyTest {

    static final PromotionPolicy POLICY = new PromotionPolicy(0.01);
    static final String BEFORE = "eval.batches-0@0.0..5.7";
    static final String AFTER = "eval.batches-0@46.0..51.7";

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

    /** A candidate on {@code heldOutSet} that carries {@code promotedVersion}'s AP50 measured on the same set. */
    static AnchorSnapshot measuring(long version, double ap50, String heldOutSet, long promotedVersion, double promotedAp50) {
        AnchorSnapshot s = withAp(version, ap50, heldOutSet);
        return s.toBuilder().setMetrics(s.getMetrics().toBuilder().setPromotedVersion(promotedVersion)
                .setPromotedAp50(promotedAp50)).build();
    }

    static PromotionPolicy.Decision decide(AnchorSnapshot candidate, AnchorSnapshot promoted) {
        return POLICY.decide(candidate, Optional.of(promoted));
    }

    @Test
    void promotesAtTheToleranceBoundaryAndHoldsJustBeyondIt() {
        // 0.74 = 0.75 - 0.01 exactly in decimals; in doubles 0.75 - 0.01 is 0.74000000000000000... + rounding
        assertThat(decide(withAp(2, 0.74), withAp(1, 0.75)).promote()).isTrue();
        assertThat(decide(withAp(2, 0.7399), withAp(1, 0.75)).promote()).isFalse();
        assertThat(decide(withAp(2, 0.90), withAp(1, 0.75)).promote()).isTrue();
    }

    @Test
    void firstVersionPromotedUnevaluatedHeldUnlessThePromotedIsUnevaluatedToo() {
        assertThat(POLICY.decide(withAp(1, null), Optional.empty()))
                .isEqualTo(new PromotionPolicy.Decision(true, "no version of the model was promoted"));
        assertThat(decide(withAp(2, null), withAp(1, 0.5)))
                .isEqualTo(new PromotionPolicy.Decision(false, "no AP50 to compare with promoted version 1"));
        assertThat(decide(withAp(2, 0.1), withAp(1, null)))
                .isEqualTo(new PromotionPolicy.Decision(true, "promoted version 1 has no AP50"));
    }

    @Test
    void onTheSameHeldOutSetThePromotedVersionsOwnAp50IsCompared() {
        // 0.05 < 0.30 - 0.01 = 0.29
        assertThat(decide(withAp(2, 0.05, BEFORE), withAp(1, 0.30, BEFORE))).isEqualTo(new PromotionPolicy.Decision(false,
                "AP50 0.0500 is worse than promoted version 1's 0.3000 by more than 0.0100 (both measured on held-out set "
                        + BEFORE + ")"));
        // 0.295 >= 0.29
        assertThat(decide(withAp(2, 0.295, BEFORE), withAp(1, 0.30, BEFORE))).isEqualTo(new PromotionPolicy.Decision(true,
                "AP50 0.2950 is within 0.0100 of promoted version 1's 0.3000 or better (both measured on held-out set "
                        + BEFORE + ")"));
        // a measurement the candidate carries changes nothing when the sets are the same: the stored 0.30 counts
        assertThat(decide(measuring(2, 0.05, BEFORE, 1, 0.01), withAp(1, 0.30, BEFORE)).promote()).isFalse();
    }

    @Test
    void onAnotherHeldOutSetThePromotedVersionsAp50MeasuredOnTheCandidatesSetIsCompared() {
        // the noisy first version on the new set: 0.05 against version 1's 0.12 on the same new images (0.05 < 0.11)
        assertThat(decide(measuring(2, 0.05, AFTER, 1, 0.12), withAp(1, 0.30, BEFORE))).isEqualTo(new PromotionPolicy.Decision(false,
                "AP50 0.0500 is worse than promoted version 1's 0.1200 by more than 0.0100 (version 1 measured by the trainer"
                        + " on this version's held-out set " + AFTER + ")"));
        // 0.11 = 0.12 - 0.01: the boundary, promoted
        assertThat(decide(measuring(2, 0.11, AFTER, 1, 0.12), withAp(1, 0.30, BEFORE))).isEqualTo(new PromotionPolicy.Decision(true,
                "AP50 0.1100 is within 0.0100 of promoted version 1's 0.1200 or better (version 1 measured by the trainer"
                        + " on this version's held-out set " + AFTER + ")"));
        // 0.1099 < 0.11: held, although it is far below version 1's 0.30 on the old set either way
        assertThat(decide(measuring(2, 0.1099, AFTER, 1, 0.12), withAp(1, 0.30, BEFORE)).promote()).isFalse();
        // the same rule when the promoted version has no AP50 of its own or no set name
        assertThat(decide(measuring(2, 0.05, AFTER, 1, 0.12), withAp(1, null)).promote()).isFalse();
        assertThat(decide(measuring(2, 0.05, AFTER, 1, 0.12), withAp(1, 0.01)).promote()).isFalse();
        assertThat(decide(measuring(2, 0.20, AFTER, 1, 0.12), withAp(1, 0.90)).promote()).isTrue();
    }

    @Test
    void aMeasurementOfAVersionThatIsNoLongerPromotedIsNotUsed() {
        // version 3 is promoted now; the candidate measured version 2 (promoted when it was published)
        String stale = "; the AP50 0.0100 this one carries is version 2's, not the promoted version's";
        assertThat(decide(measuring(4, 0.05, AFTER, 2, 0.01), withAp(3, 0.30, BEFORE))).isEqualTo(new PromotionPolicy.Decision(true,
                "promoted version 3's AP50 0.3000 was measured on held-out set " + BEFORE + ", this one's 0.0500 on " + AFTER
                        + ": not comparable" + stale));
        assertThat(decide(measuring(4, 0.05, AFTER, 2, 0.01), withAp(3, null))).isEqualTo(new PromotionPolicy.Decision(true,
                "promoted version 3 has no AP50" + stale));
        // promoted without a set name: the values are compared as they are (0.05 < 0.29)
        assertThat(decide(measuring(4, 0.05, AFTER, 2, 0.01), withAp(3, 0.30))).isEqualTo(new PromotionPolicy.Decision(false,
                "AP50 0.0500 is worse than promoted version 3's 0.3000 by more than 0.0100 (a held-out set is not named:"
                        + " compared as they are" + stale + ")"));
    }

    @Test
    void withoutAMeasurementOtherSetsAreNotComparedAndUnnamedOnesAre() {
        assertThat(decide(withAp(2, 0.05, AFTER), withAp(1, 0.30, BEFORE))).isEqualTo(new PromotionPolicy.Decision(true,
                "promoted version 1's AP50 0.3000 was measured on held-out set " + BEFORE + ", this one's 0.0500 on " + AFTER
                        + ": not comparable"));
        // then the next version is guarded against it on the new set (0.03 < 0.04; 0.045 >= 0.04)
        assertThat(decide(withAp(3, 0.03, AFTER), withAp(2, 0.05, AFTER)).promote()).isFalse();
        assertThat(decide(withAp(3, 0.045, AFTER), withAp(2, 0.05, AFTER)).promote()).isTrue();
        // a side without a set name (older trainer, manual upload) is compared as before
        assertThat(decide(withAp(2, 0.05, AFTER), withAp(1, 0.30))).isEqualTo(new PromotionPolicy.Decision(false,
                "AP50 0.0500 is worse than promoted version 1's 0.3000 by more than 0.0100 (a held-out set is not named:"
                        + " compared as they are)"));
        assertThat(decide(withAp(2, 0.05), withAp(1, 0.30, BEFORE)).promote()).isFalse();
    }
}
