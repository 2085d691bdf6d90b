package dev.abo.registry;

import java.util.Locale;
import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;

/**
 * Guarded automatic promotion: a new snapshot replaces the promoted one only if its AP50 is not worse than
 * the promoted one's by more than {@code tolerance}. A first version is promoted; a snapshot without AP50
 * is held while an evaluated version is promoted (nothing shows it is not worse); one with AP50 replaces
 * a promoted version that has none.
 *
 * <p>AP50 values are compared only when both were measured on the same held-out images. The trainer
 * evaluates on a sliding window of the newest held-out images and names it in {@code metrics.held_out_set};
 * when the two snapshots name different sets (new held-out data arrived, e.g. after a drift) their AP50
 * values are not comparable, so the promoted version has no AP50 on the candidate's images and the candidate
 * is promoted, as over a version without AP50. The versions after it are then guarded against it on the
 * new set. Snapshots without a set name (older trainers, manual uploads) are compared as before.
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
        if (candidate.getMetrics().hasHeldOutSet() && p.getMetrics().hasHeldOutSet()
                && !candidate.getMetrics().getHeldOutSet().equals(p.getMetrics().getHeldOutSet())) {
            return new Decision(true, String.format(Locale.ROOT, "promoted version %d's AP50 %.4f was measured on held-out set %s,"
                    + " this one's %.4f on %s: not comparable", p.getVersion(), promotedAp, p.getMetrics().getHeldOutSet(), ap,
                    candidate.getMetrics().getHeldOutSet()));
        }
        if (ap >= promotedAp - tolerance - EPSILON) {
            return new Decision(true, String.format(Locale.ROOT, "AP50 %.4f is within %.4f of promoted version %d's %.4f or better",
                    ap, tolerance, p.getVersion(), promotedAp));
        }
        return new Decision(false, String.format(Locale.ROOT, "AP50 %.4f is worse than promoted version %d's %.4f by more than %.4f",
                ap, p.getVersion(), promotedAp, tolerance));
    }
}
