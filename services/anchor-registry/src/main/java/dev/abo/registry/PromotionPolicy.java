package dev.abo.registry;

import java.util.Locale;
import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;

/**
 * Guarded automatic promotion: a new snapshot replaces the promoted one only if its AP50 is not worse than
 * the promoted one's by more than {@code tolerance}. A first version is promoted; a snapshot without AP50
 * is held while an evaluated version is promoted (nothing shows it is not worse); one with AP50 replaces
 * a promoted version that has none.
 */
public record PromotionPolicy(double tolerance) {

    /** Rounding slack, so that 0.74 vs 0.75 - 0.01 counts as "not worse by more than 0.01". */
    static final double EPSILON = 1e-12;

    public PromotionPolicy {
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("promotion tolerance must be in [0, 1], was " + tolerance);
        }
    }

    public record Decision(boolean promote, String reason) {
    }

    public Decision decide(AnchorSnapshot candidate, Optional<AnchorSnapshot> promoted) {
        if (promoted.isEmpty()) {
            return new Decision(true, "no version of the model was promoted");
        }
        AnchorSnapshot p = promoted.get();
        if (!candidate.getMetrics().hasAp50()) {
            return new Decision(false, "no AP50 to compare with promoted version " + p.getVersion());
        }
        double ap = candidate.getMetrics().getAp50();
        if (!p.getMetrics().hasAp50()) {
            return new Decision(true, "promoted version " + p.getVersion() + " has no AP50");
        }
        double promotedAp = p.getMetrics().getAp50();
        if (ap >= promotedAp - tolerance - EPSILON) {
            return new Decision(true, String.format(Locale.ROOT, "AP50 %.4f is within %.4f of promoted version %d's %.4f or better",
                    ap, tolerance, p.getVersion(), promotedAp));
        }
        return new Decision(false, String.format(Locale.ROOT, "AP50 %.4f is worse than promoted version %d's %.4f by more than %.4f",
                ap, p.getVersion(), promotedAp, tolerance));
    }
}
