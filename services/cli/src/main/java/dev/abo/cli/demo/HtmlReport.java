package dev.abo.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import dev.abo.cli.plot.AnchorPlot;
import dev.abo.cli.plot.AnchorTrajectory;
import dev.abo.cli.plot.ShapeDensity;
import dev.abo.cli.plot.TrainingCurves;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.StepRecord;

/**
 * {@code report.html} with its PNGs next to it: the camera's box shapes before and after the drift (the paper's
 * Fig. 2 view) with the anchor sets of the summary on top, the learned trainer's loss, the held-out AP50 of both
 * trainers, and the summary's tables.
 */
final class HtmlReport {

    static final String FILE = "report.html";
    static final String BEFORE_PNG = "anchors-before-drift.png";
    static final String AFTER_PNG = "anchors-after-drift.png";
    static final String LOSS_PNG = "loss-learned.png";
    static final String AP_LEARNED_PNG = "ap50-learned.png";
    static final String AP_FIXED_PNG = "ap50-fixed.png";
    static final String TRAJECTORY_PNG = "anchors-over-steps.png";

    private static final Map<String, String> CAPTIONS = Map.of(
            BEFORE_PNG, "The camera's boxes before the drift (density over log width and log height, darker = more) with "
                    + "the initial anchors, the learned anchors at the drift and the k-means anchors of these boxes.",
            AFTER_PNG, "The camera's boxes after the drift with the learned anchors at the drift and at the end, and the "
                    + "k-means anchors of the drifted boxes.",
            TRAJECTORY_PNG, "The learned anchors' width and height after every step; the line marks the step at which the "
                    + "learned trainer first trained a drifted camera batch.",
            LOSS_PNG, "Training loss of the learned trainer (one batch, and its moving average).",
            AP_LEARNED_PNG, "AP50 of the learned trainer on the most recent held-out camera scenes: mixed objects before "
                    + "the drift, small heads after it (the window moves to them with the camera's first held-out set after the drift).",
            AP_FIXED_PNG, "The same for the trainer with fixed anchors.");

    /** The curves of the run. */
    record Curves(List<StepRecord> learnedSteps, List<EvalRecord> learnedEvals, List<EvalRecord> fixedEvals) {
    }

    private HtmlReport() {
    }

    /**
     * Writes the report into {@code dir}; anchor sets for the plots are taken from the summary's rows by name.
     *
     * @return the images written (a plot without data is left out)
     */
    static List<String> write(Path dir, DemoSummary s, List<Shape> before, List<Shape> after, Curves curves,
                              List<String> beforeSets, List<String> afterSets) throws IOException {
        Files.createDirectories(dir);
        List<String> images = new ArrayList<>();
        int size = s.setup().inputSize();
        if (!before.isEmpty()) {
            anchorPlot(s, before, beforeSets, "camera boxes before the drift (" + before.size() + ")", size).writePng(dir.resolve(BEFORE_PNG), 800, 720);
            images.add(BEFORE_PNG);
        }
        if (!after.isEmpty()) {
            anchorPlot(s, after, afterSets, "camera boxes after the drift (" + after.size() + ")", size).writePng(dir.resolve(AFTER_PNG), 800, 720);
            images.add(AFTER_PNG);
        }
        if (!curves.learnedSteps().isEmpty()) {
            OptionalLong drift = s.drift() == null || s.drift().learnedStep() == null ? OptionalLong.empty()
                    : OptionalLong.of(s.drift().learnedStep());
            AnchorTrajectory.writePng(dir.resolve(TRAJECTORY_PNG), "learned anchors (width solid, height dashed)",
                    curves.learnedSteps(), drift, "drift", 800, 450);
            images.add(TRAJECTORY_PNG);
            TrainingCurves.writeLossPng(dir.resolve(LOSS_PNG), curves.learnedSteps(), 800, 400);
            images.add(LOSS_PNG);
        }
        if (!curves.learnedEvals().isEmpty()) {
            TrainingCurves.writeAp50Png(dir.resolve(AP_LEARNED_PNG), curves.learnedEvals(),
                    "learned anchors: AP50 on the most recent held-out camera scenes", 800, 400);
            images.add(AP_LEARNED_PNG);
        }
        if (!curves.fixedEvals().isEmpty()) {
            TrainingCurves.writeAp50Png(dir.resolve(AP_FIXED_PNG), curves.fixedEvals(),
                    "fixed anchors: AP50 on the most recent held-out camera scenes", 800, 400);
            images.add(AP_FIXED_PNG);
        }
        Files.writeString(dir.resolve(FILE), html(s, images));
        return images;
    }

    private static AnchorPlot anchorPlot(DemoSummary s, List<Shape> shapes, List<String> sets, String title, int size) {
        double[] w = shapes.stream().mapToDouble(Shape::w).toArray();
        double[] h = shapes.stream().mapToDouble(Shape::h).toArray();
        AnchorPlot plot = new AnchorPlot(title + " at " + size + "x" + size, ShapeDensity.estimate(w, h, 90, 1.2));
        for (String name : sets) {
            s.anchors().stream().filter(r -> r.name().equals(name)).findFirst().ifPresent(r -> plot.withAnchors(name,
                    AnchorSet.of(r.anchors().stream().map(a -> new Shape(a.w(), a.h())).toList(), size)));
        }
        return plot;
    }

    static String html(DemoSummary s, List<String> images) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>abo demo report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:6px 0}")
                .append("pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>\n");
        b.append("<h1>abo demo: learnable anchors on a drifting camera</h1>\n");
        b.append("<p>").append(esc(s.endedBy())).append("; ").append(SummaryTable.duration(s.secondsRun())).append(" run. ")
                .append("Registry page: <a href=\"").append(esc(s.outputs().registryPage())).append("\">")
                .append(esc(s.outputs().registryPage())).append("</a> (only while the demo runs).</p>\n");
        b.append("<h2>Anchors before and after the drift</h2>\n<table><tr><th>anchor set</th><th>anchors (w x h px)</th>")
                .append("<th>avg IoU, camera boxes before (").append(s.cameraBoxes().before()).append(")</th>")
                .append("<th>after (").append(s.cameraBoxes().after()).append(")</th></tr>\n");
        for (DemoSummary.AnchorRow r : s.anchors()) {
            b.append("<tr><td>").append(esc(r.name())).append("</td><td>").append(esc(SummaryTable.wh(r))).append("</td><td>")
                    .append(SummaryTable.num(r.iouBefore(), 3)).append("</td><td>").append(SummaryTable.num(r.iouAfter(), 3))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        DemoSummary.Ap50 ap = s.ap50();
        b.append("<h2>AP50 of the final models (").append(ap.images()).append(" held-out camera scenes per phase)</h2>\n")
                .append("<table><tr><th>scenes</th><th>learned anchors</th><th>fixed anchors</th></tr>\n")
                .append(row("before the drift (mixed objects)", ap.learnedBefore(), ap.fixedBefore()))
                .append(row("after the drift (small heads)", ap.learnedAfter(), ap.fixedAfter())).append("</table>\n");
        versions(b, s.registry());
        for (String img : images) {
            b.append("<figure><img src=\"").append(img).append("\" alt=\"").append(img).append("\"><figcaption>")
                    .append(esc(CAPTIONS.getOrDefault(img, ""))).append("</figcaption></figure>\n");
        }
        b.append("<h2>Summary</h2>\n<pre>").append(esc(SummaryTable.render(s))).append("</pre>\n</body></html>\n");
        return b.toString();
    }

    /** Every version with the registry's decision and its reason (which AP50 values it compared, on which images). */
    private static void versions(StringBuilder b, DemoSummary.Registry r) {
        if (r.versions().isEmpty()) {
            return;
        }
        b.append("<h2>Anchor versions and the registry's decisions</h2>\n<table><tr><th>version</th><th>step</th>")
                .append("<th>AP50</th><th>decision</th><th style=\"text-align:left\">reason</th></tr>\n");
        for (DemoSummary.Version v : r.versions()) {
            String decision = v.promoted() == null ? "-" : v.promoted() ? "promoted" : "held back";
            b.append(String.format(Locale.ROOT, "<tr><td>v%d</td><td>%d</td><td>%s</td><td>%s</td><td style=\"text-align:left\">%s</td></tr>%n",
                    v.version(), v.step(), SummaryTable.num(v.ap50(), 3), decision,
                    esc(v.decisionReason() == null ? "-" : v.decisionReason())));
        }
        b.append("</table>\n");
        // the table shows automatic promotions; moves by hand (manual, rollback) only the pointer's history does
        if (r.promotions().stream().anyMatch(p -> !SnapshotLogWatch.AUTO.equals(p.reason()))) {
            b.append("<p>Promoted pointer: ").append(esc(String.join(" -> ", r.promotions().stream()
                    .map(p -> "v" + p.version() + " (" + p.reason() + ")").toList()))).append("</p>\n");
        }
    }

    private static String row(String name, Double learned, Double fixed) {
        return String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>%n", esc(name),
                SummaryTable.num(learned, 3), SummaryTable.num(fixed, 3));
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
