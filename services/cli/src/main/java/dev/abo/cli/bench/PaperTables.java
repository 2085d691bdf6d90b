package dev.abo.cli.bench;

import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.AnchorPx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The bench's tables as markdown (what {@code paper.md} holds and the command prints). */
final class PaperTables {
    static final String MAIN_HEADER =
            "| row | anchors | AP50 % | paper % | Δ vs | Δ pts | paper Δ | avg IoU | steps/s | final anchors (w,h px) |";
    static final String ABLATION_HEADER =
            "| row | init | soft | clust | BN | AP50 % | paper % | Δ vs | Δ pts | paper Δ | avg IoU | steps/s | final anchors (w,h px) |";

    private PaperTables() {
    }

    /** The whole {@code paper.md}: how it was run, every dataset's tables, and the abo train command of each run. */
    static String document(PaperSettings s, List<DatasetResult> results, String commandLine, double wallSeconds,
                           double loadStart, double loadEnd) {
        StringBuilder b = new StringBuilder();
        b.append("# abo bench paper").append(s.quick() ? " --quick" : "").append("\n\n");
        b.append(String.format(Locale.ROOT, "`%s`: %s wall on %d cpus, load average %.1f at the start and %.1f at the end. "
                        + "Paper numbers are DarkNet-19 at 416-640 px after 10k-30k steps on 4 GPUs: for orientation only.%n%n",
                commandLine, BenchProgress.minutes(Math.round(wallSeconds)), Runtime.getRuntime().availableProcessors(),
                loadStart, loadEnd));
        for (DatasetResult d : results) {
            b.append(markdown(d, s)).append('\n');
        }
        b.append("## Reproduce a row\n\nEach distinct run of the first seed, as an `abo train` command:\n\n");
        for (DatasetResult d : results) {
            List<String> seen = new ArrayList<>();
            for (RowResult r : d.rows()) {
                if (!seen.contains(r.trainCommand())) {
                    seen.add(r.trainCommand());
                    b.append("- ").append(d.rows().stream().filter(x -> x.run().equals(r.run())).map(RowResult::id)
                            .collect(Collectors.joining(", "))).append(": `").append(r.trainCommand()).append("`\n");
                }
            }
        }
        return b.toString();
    }

    /** The heading, the settings, the Table 1/5 and Table 6 rows that were run, and the summary line. */
    static String markdown(DatasetResult d, PaperSettings s) {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(d.dataset()).append(" — ").append(d.paper()).append("\n\n");
        b.append(String.format(Locale.ROOT,
                "%dx%d input, %d steps x %d images, backbone %s, seed%s %s, %d held-out images; %d training boxes, "
                        + "k-means anchors %s (avg IoU %.3f on the held-out boxes). AP50 = VOC all-point AP at IoU 0.5 "
                        + "on the held-out images, in %%; Δ = row - reference row on the same seeds, in AP50 points.%n%n",
                d.inputSize(), d.inputSize(), s.steps(), s.batch(), s.backbone(), s.seeds().size() == 1 ? "" : "s",
                s.seeds().stream().map(String::valueOf).collect(Collectors.joining(",")), d.heldOutImages(),
                d.trainingBoxes(), anchors(d.kmeansAnchors()), d.kmeansAnchorIou()));
        List<RowResult> main = d.rows().stream().filter(r -> r.table() == PaperRow.Table.MAIN).toList();
        List<RowResult> ablation = d.rows().stream().filter(r -> r.table() == PaperRow.Table.ABLATION).toList();
        if (!main.isEmpty()) {
            b.append(MAIN_HEADER).append('\n').append("|---|---|---:|---:|---|---:|---:|---:|---:|---|\n");
            for (RowResult r : main) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.3f | %.2f | %s |%n", r.label(),
                        r.run().mode() == DetectorConfig.AnchorMode.FIXED ? "fixed" : "learned", ap(r), num(r.paperAp50Pct(), "%.2f"),
                        r.reference() == null ? "" : r.reference(), delta(r), num(r.paperDeltaPts(), "%+.2f"),
                        r.anchorIou(), r.stepsPerSecond(), anchors(r.anchors())));
            }
            b.append('\n');
        }
        if (!ablation.isEmpty()) {
            b.append("Table 6 ablation, ").append(d.ablationInit()).append(" initialisation (the paper's Table 6 column for this dataset uses it):\n\n");
            b.append(ABLATION_HEADER).append('\n').append("|---|---|---|---|---|---:|---:|---|---:|---:|---:|---:|---|\n");
            for (RowResult r : ablation) {
                boolean fixed = r.run().mode() == DetectorConfig.AnchorMode.FIXED;
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.3f | %.2f | %s |%n",
                        r.label(), r.run().init().cliName(), onOff(r.run().soft()), onOff(r.run().clust()),
                        onOff(r.run().bn()), ap(r), num(r.paperAp50Pct(), "%.2f"), r.reference() == null ? "" : r.reference(),
                        delta(r), num(r.paperDeltaPts(), "%+.2f"), r.anchorIou(), r.stepsPerSecond(),
                        (fixed ? "fixed " : "") + anchors(r.anchors())));
            }
            b.append('\n');
        }
        b.append("**Summary** ").append(d.summary()).append("\n");
        return b.toString();
    }

    /** {@code 12.34} or {@code 12.34 ± 0.56}. */
    private static String ap(RowResult r) {
        return r.ap50SdPct() == null ? String.format(Locale.ROOT, "%.2f", r.ap50MeanPct())
                : String.format(Locale.ROOT, "%.2f ± %.2f", r.ap50MeanPct(), r.ap50SdPct());
    }

    private static String delta(RowResult r) {
        if (r.deltaPts() == null) {
            return "";
        }
        double d = Math.abs(r.deltaPts()) < DatasetResult.TIE ? 0.0 : r.deltaPts();      // no "-0.00"
        return r.deltaSdPts() == null ? String.format(Locale.ROOT, "%+.2f", d)
                : String.format(Locale.ROOT, "%+.2f ± %.2f", d, r.deltaSdPts());
    }

    private static String num(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** {@code 3.4,4.8 4.2,6.5 ...} (one decimal). */
    static String anchors(List<AnchorPx> anchors) {
        return anchors.stream().map(a -> String.format(Locale.ROOT, "%.1f,%.1f", a.w(), a.h())).collect(Collectors.joining(" "));
    }
}
