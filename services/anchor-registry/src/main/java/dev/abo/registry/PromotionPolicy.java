package dev.abo.registry;

import java.util.Locale;
import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.SnapshotMetrics;

/**
 * Guarded automatic promotion: a new snapshot replaces the promoted one only if its AP50 is not worse than
 * the promoted one's by more than {@code tolerance}, both measured on the same held-out images. A first version
 * is promoted; a snapshot without AP50 is held while a version is promoted (nothing shows it is not worse).
 *
 * <p>Which AP50 of the promoted version is compared, in this order:
 * <ol>
 *   <li>its own, when both snapshots name the same held-out set ({@code metrics.held_out_set}, the trainer's
 *       window of the held-out stream);</li>
 *   <li>the one the candidate carries for it ({@code metrics.promoted_ap50}), measured by the trainer on the
 *       candidate's held-out set, when it is for exactly the version promoted now ({@code metrics.promoted_version});
 *       this is how versions are compared when new held-out data arrived (e.g. after a drift);</li>
 *   <li>otherwise nothing is known about the promoted version on the candidate's images and the rules before
 *       this comparison existed apply: a promoted version without AP50, or one measured on another named set, is
 *       replaced without comparison ("not comparable"); when a side names no set (older trainers, manual uploads)
 *       the two values are compared as they are. The reason says so, and names a measurement the candidate
 *       carries for a version that is no longer the promoted one.</li>
 * </ol>
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
        long version = p.getVersion();
        SnapshotMetrics c = candidate.getMetrics();
        SnapshotMetrics pm = p.getMetrics();
        if (!c.hasAp50()) {
            return new Decision(false, "no AP50 to compare with promoted version " + version);
        }
        boolean bothNamed = c.hasHeldOutSet() && pm.hasHeldOutSet();
        if (pm.hasAp50() && bothNamed && c.getHeldOutSet().equals(pm.getHeldOutSet())) {
            return compare(c.getAp50(), pm.getAp50(), version, "both measured on held-out set " + c.getHeldOutSet());
        }
        if (c.hasPromotedAp50() && c.getPromotedVersion() == version) {
            return compare(c.getAp50(), c.getPromotedAp50(), version, "version " + version
                    + " measured by the trainer on this version's held-out set " + c.getHeldOutSet());
        }
        String stale = c.hasPromotedAp50() ? String.format(Locale.ROOT, "; the AP50 %.4f this one carries is version %d's,"
                + " not the promoted version's", c.getPromotedAp50(), c.getPromotedVersion()) : "";
        if (!pm.hasAp50()) {
            return new Decision(true, "promoted version " + version + " has no AP50" + stale);
        }
        if (bothNamed) {
            return new Decision(true, String.format(Locale.ROOT, "promoted version %d's AP50 %.4f was measured on held-out set %s,"
                    + " this one's %.4f on %s: not comparable%s", version, pm.getAp50(), pm.getHeldOutSet(), c.getAp50(),
                    c.getHeldOutSet(), stale));
        }
        return compare(c.getAp50(), pm.getAp50(), version, "a held-out set is not named: compared as they are" + stale);
    }

    private Decision compare(double ap, double promotedAp, long version, String basis) {
        if (ap >= promotedAp - tolerance - EPSILON) {
            return new Decision(true, String.format(Locale.ROOT, "AP50 %.4f is within %.4f of promoted version %d's %.4f or better (%s)",
                    ap, tolerance, version, promotedAp, basis));
        }
        return new Decision(false, String.format(Locale.ROOT, "AP50 %.4f is worse than promoted version %d's %.4f by more than %.4f (%s)",
                ap, version, promotedAp, tolerance, basis));
    }
}
