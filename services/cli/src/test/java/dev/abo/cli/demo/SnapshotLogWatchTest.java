package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The demo's event lines for the registry's log: each says why a version was or was not promoted. */
class SnapshotLogWatchTest {

    private static final String REASON = "AP50 0.2590 is worse than promoted version 7's 0.2800 by more than 0.0200 "
            + "(version 7 measured by the trainer on this version's held-out set eval.batches-0@6.0..11.7)";

    @Test
    void aPromotionByThePolicyPrintsTheRegistrysReason() {
        assertThat(SnapshotLogWatch.promotedLine(new SnapshotLogWatch.Promotion(3, "auto", "no version of the model was promoted", 0)))
                .isEqualTo("registry: version 3 promoted (auto: no version of the model was promoted)");
        assertThat(SnapshotLogWatch.promotedLine(new SnapshotLogWatch.Promotion(2, "rollback", null, 0)))
                .isEqualTo("registry: version 2 promoted (rollback)");
    }

    @Test
    void aHeldBackVersionSaysWhyAndAPromotedOneLeavesItToItsPromotionLine() {
        assertThat(SnapshotLogWatch.createdLine(new SnapshotLogWatch.Version(8, 200, 0.259, List.of(), 0,
                new SnapshotLogWatch.Decision(false, REASON))))
                .isEqualTo("registry: version 8 created (step 200, AP50 0.259), not promoted: " + REASON);
        assertThat(SnapshotLogWatch.createdLine(new SnapshotLogWatch.Version(9, 225, null, List.of(), 0,
                new SnapshotLogWatch.Decision(true, "promoted version 8 has no AP50"))))
                .isEqualTo("registry: version 9 created (step 225, AP50 not evaluated)");
        assertThat(SnapshotLogWatch.createdLine(new SnapshotLogWatch.Version(1, 25, 0.1, List.of(), 0, null)))
                .isEqualTo("registry: version 1 created (step 25, AP50 0.100)");
    }
}
