package dev.abo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.TrainingMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Aggregation over seeds and the summary line, on made-up outcomes. */
class RowResultTest {
    private static final List<AnchorPx> ANCHORS = List.of(new AnchorPx(30, 30), new AnchorPx(2, 3), new AnchorPx(10, 5),
            new AnchorPx(4, 4), new AnchorPx(6, 8));

    private static RunOutcome outcome(PaperRow.Run run, long seed, double ap50, double iou, double stepsPerSecond) {
        TrainingMetrics m = new TrainingMetrics(96, 0, 10, ap50, iou, 1.0, ANCHORS, ANCHORS, stepsPerSecond, 0, 1, 1,
                0, null, List.of());
        return new RunOutcome("synthetic:heads", seed, run, m, 0.5, "abo train --seed " + seed);
    }

    @Test
    void meansSpreadsAndPairedDifferencesOverSeeds() {
        PaperRow.Run baseline = PaperRow.BASELINE_UNIFORM.run(AnchorInit.UNIFORM);
        PaperRow.Run opt = PaperRow.OPT_UNIFORM.run(AnchorInit.UNIFORM);
        Map<PaperRow.Run, List<RunOutcome>> outcomes = new LinkedHashMap<>();
        outcomes.put(baseline, List.of(outcome(baseline, 1, 0.10, 0.4, 2), outcome(baseline, 2, 0.20, 0.6, 4)));
        outcomes.put(opt, List.of(outcome(opt, 1, 0.13, 0.7, 1), outcome(opt, 2, 0.19, 0.9, 3)));

        List<RowResult> rows = RowResult.of(List.of(PaperRow.BASELINE_UNIFORM, PaperRow.OPT_UNIFORM, PaperRow.ABLATION_FULL),
                PaperReference.BRAINWASH, outcomes);

        // by hand: baseline 10 and 20 % -> mean 15, sd sqrt(50) = 7.071; opt 13 and 19 -> 16, sd sqrt(18) = 4.243;
        // paired differences +3 and -1 -> mean +1, sd sqrt(8) = 2.828
        RowResult b = rows.get(0);
        RowResult o = rows.get(1);
        assertThat(b.ap50MeanPct()).isCloseTo(15, within(1e-9));
        assertThat(b.ap50SdPct()).isCloseTo(Math.sqrt(50), within(1e-9));
        assertThat(b.deltaPts()).isNull();
        assertThat(o.ap50Pct()).containsExactly(13.0, 19.0);
        assertThat(o.ap50SdPct()).isCloseTo(Math.sqrt(18), within(1e-9));
        assertThat(o.reference()).isEqualTo("baseline-uniform");
        assertThat(o.deltaPts()).isCloseTo(1, within(1e-9));
        assertThat(o.deltaSdPts()).isCloseTo(Math.sqrt(8), within(1e-9));
        assertThat(o.paperAp50Pct()).isEqualTo(79.86);
        assertThat(o.paperDeltaPts()).isCloseTo(1.83, within(1e-9));
        assertThat(o.anchorIou()).isCloseTo(0.8, within(1e-12));
        assertThat(o.stepsPerSecond()).isCloseTo(2, within(1e-12));
        // Table 4 order, by area: 2x3 (6), 4x4 (16), 6x8 (48), 10x5 (50), 30x30
        assertThat(o.anchors()).extracting(AnchorPx::w).containsExactly(2.0, 4.0, 6.0, 10.0, 30.0);
        // the ablation's last row is the same run as Opt(uniform), against the same baseline
        assertThat(rows.get(2).ap50Pct()).isEqualTo(o.ap50Pct());
        assertThat(rows.get(2).reference()).isEqualTo("ablation-baseline");
        assertThat(rows.get(2).deltaPts()).isCloseTo(1, within(1e-9));
        // |+1| < 2.83: within the seeds' noise, and said so
        assertThat(DatasetResult.summarize("synthetic:heads", rows, 2))
                .contains("Opt(uniform) +1.00 ahead vs baseline-uniform (within noise)");
    }

    @Test
    void theSummaryNamesEveryDifferenceWithItsSignAndHidesNoLoss() {
        PaperRow.Run baseline = PaperRow.BASELINE_KMEANS.run(AnchorInit.KMEANS);
        Map<PaperRow.Run, List<RunOutcome>> outcomes = new LinkedHashMap<>();
        outcomes.put(baseline, List.of(outcome(baseline, 1, 0.30, 0.5, 1)));
        List<PaperRow> rows = new ArrayList<>(List.of(PaperRow.BASELINE_KMEANS));
        double[] ap = {0.25, 0.30, 0.32};                              // behind, tie, ahead
        List<PaperRow> opts = List.of(PaperRow.OPT_KMEANS, PaperRow.ABLATION_OPT, PaperRow.ABLATION_SOFT);
        for (int i = 0; i < 3; i++) {
            PaperRow.Run run = opts.get(i).run(AnchorInit.KMEANS);
            outcomes.put(run, List.of(outcome(run, 1, ap[i], 0.5, 1)));
            rows.add(opts.get(i));
        }
        rows.add(PaperRow.ABLATION_BASELINE);

        String summary = DatasetResult.summarize("voc", RowResult.of(rows, PaperReference.VOC, outcomes), 1);

        assertThat(summary).startsWith("voc: Opt ahead of its baseline in 1 of 3 comparisons (AP50 points, 1 seed, no spread)")
                .contains("Opt(kmeans) -5.00 BEHIND vs baseline-kmeans")
                .contains("T6 Opt +0.00 tie vs ablation-baseline")
                .contains("T6 Opt+Soft +2.00 ahead vs ablation-baseline");
    }
}
