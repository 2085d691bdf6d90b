package dev.abo.cli.bench;

import dev.abo.detector.train.AnchorPx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of one dataset.
 *
 * @param dataset          the {@code --dataset} spec
 * @param slug             short name used in file names ({@code heads}, {@code voc-voc2007-train})
 * @param inputSize        network input side, px
 * @param paper            the paper's counterpart
 * @param ablationInit     initialisation of the Table 6 rows
 * @param heldOutImages    held-out images every row is evaluated on
 * @param trainingBoxes    training boxes k-means was fitted to (first seed)
 * @param kmeansAnchors    the k-means anchors of the first seed, input px
 * @param kmeansAnchorIou  their mean best shape IoU over the held-out boxes
 * @param rows             the rows, in table order
 * @param summary          one line: the sign of every difference
 */
record DatasetResult(String dataset, String slug, int inputSize, String paper, String ablationInit, int heldOutImages, int trainingBoxes,
                     List<AnchorPx> kmeansAnchors, double kmeansAnchorIou, List<RowResult> rows, String summary) {
    /** Differences smaller than this (AP50 points) print as {@code +0.00}/{@code -0.00} and count as ties. */
    static final double TIE = 0.005;

    /**
     * {@code "synthetic:heads: Opt ahead of its baseline in 5 of 7 comparisons; Opt(identical) +1.20 ahead, ..."}:
     * every difference with its sign in words, none left out; with several seeds a difference smaller than
     * the spread of the paired differences is marked "within noise".
     */
    static String summarize(String dataset, List<RowResult> rows, int seeds) {
        List<String> parts = new ArrayList<>();
        int ahead = 0;
        int total = 0;
        for (RowResult r : rows) {
            if (r.deltaPts() == null) {
                continue;
            }
            total++;
            double d = r.deltaPts();
            // the sign as printed (two decimals): a difference that rounds to 0.00 is a tie
            String sign = d >= TIE ? "ahead" : d <= -TIE ? "BEHIND" : "tie";
            if (d >= TIE) {
                ahead++;
            }
            String noise = r.deltaSdPts() != null && Math.abs(d) < r.deltaSdPts() ? " (within noise)" : "";
            String name = r.table() == PaperRow.Table.ABLATION ? "T6 " + r.label() : r.label();
            parts.add(String.format(Locale.ROOT, "%s %+.2f %s vs %s%s", name, Math.abs(d) < TIE ? 0.0 : d, sign, r.reference(), noise));
        }
        if (total == 0) {
            return dataset + ": no Opt row with its baseline selected, no difference to report";
        }
        return String.format(Locale.ROOT, "%s: Opt ahead of its baseline in %d of %d comparisons (AP50 points, %d seed%s%s): %s",
                dataset, ahead, total, seeds, seeds == 1 ? "" : "s", seeds == 1 ? ", no spread" : "", String.join("; ", parts));
    }
}
