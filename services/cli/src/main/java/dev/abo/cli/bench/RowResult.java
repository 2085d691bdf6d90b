package dev.abo.cli.bench;

import dev.abo.detector.train.AnchorPx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One row of a table, over the seeds. AP50 in percent (as the paper prints it), differences in AP50
 * points; null where there is nothing to show (no paper number, no reference row, one seed for a spread).
 *
 * @param id               the row's {@code --rows} name
 * @param label            as in the paper, e.g. {@code Opt(kmeans)}
 * @param table            MAIN (Table 1/5) or ABLATION (Table 6)
 * @param run              the run behind the row (shared by rows with equal runs)
 * @param ap50Pct          held-out AP50 per seed
 * @param ap50MeanPct      their mean
 * @param ap50SdPct        their sample standard deviation (null for one seed)
 * @param paperAp50Pct     the paper's number for this row
 * @param reference        the row the difference is taken against ({@link PaperRow#reference})
 * @param deltaPts         mean over seeds of (this row - reference) on the same seed
 * @param deltaSdPts       sample standard deviation of those paired differences (null for one seed)
 * @param paperDeltaPts    the same difference in the paper
 * @param anchorIou        mean best shape IoU of the final anchors over the held-out boxes (mean over seeds)
 * @param stepsPerSecond   training steps per second (mean over seeds; evaluation excluded)
 * @param anchors          final anchors of the first seed, input px, sorted by area (as the paper's Table 4)
 * @param initialAnchors   initial anchors of the first seed, input px, in the network's order
 * @param trainCommand     {@code abo train} command of the first seed's run
 */
record RowResult(String id, String label, PaperRow.Table table, PaperRow.Run run, List<Double> ap50Pct, double ap50MeanPct,
                 Double ap50SdPct, Double paperAp50Pct, String reference, Double deltaPts, Double deltaSdPts,
                 Double paperDeltaPts, double anchorIou, double stepsPerSecond, List<AnchorPx> anchors,
                 List<AnchorPx> initialAnchors, String trainCommand) {

    /**
     * The rows of one dataset from its runs' outcomes ({@code outcomes.get(run)}: one per seed, in seed
     * order); a row whose reference was not run gets no difference.
     */
    static List<RowResult> of(List<PaperRow> rows, PaperReference paper, Map<PaperRow.Run, List<RunOutcome>> outcomes) {
        List<RowResult> out = new ArrayList<>();
        for (PaperRow row : rows) {
            PaperRow.Run run = row.run(paper.ablationInit());
            List<RunOutcome> runs = outcomes.get(run);
            List<Double> ap = runs.stream().map(o -> 100 * o.metrics().finalAp50()).toList();
            PaperRow refRow = row.reference();
            List<RunOutcome> refRuns = refRow == null ? null : outcomes.get(refRow.run(paper.ablationInit()));
            Double delta = null;
            Double deltaSd = null;
            if (refRuns != null) {
                List<Double> d = new ArrayList<>();
                for (int i = 0; i < runs.size(); i++) {
                    d.add(ap.get(i) - 100 * refRuns.get(i).metrics().finalAp50());
                }
                delta = mean(d);
                deltaSd = sd(d);
            }
            RunOutcome first = runs.get(0);
            List<AnchorPx> sorted = first.metrics().anchors().stream()
                    .sorted(Comparator.comparingDouble((AnchorPx a) -> a.w() * a.h())).toList();
            out.add(new RowResult(row.id(), row.label(), row.table(), run, ap, mean(ap), sd(ap), box(paper.ap50(row)),
                    refRow == null ? null : refRow.id(), delta, deltaSd, box(paper.delta(row)),
                    mean(runs.stream().map(o -> o.metrics().finalAnchorIou()).toList()),
                    mean(runs.stream().map(o -> o.metrics().stepsPerSecond()).toList()), sorted,
                    first.metrics().initialAnchors(), first.trainCommand()));
        }
        return out;
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n - 1); null below two values. */
    static Double sd(List<Double> v) {
        if (v.size() < 2) {
            return null;
        }
        double m = mean(v);
        double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (v.size() - 1));
    }

    private static Double box(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }
}
