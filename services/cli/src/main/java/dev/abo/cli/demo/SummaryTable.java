package dev.abo.cli.demo;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The demo's summary as the text table printed at the end (a value missing because it was not measured is "-"). */
public final class SummaryTable {

    static final int HELD_BACK_SHOWN = 3;

    private SummaryTable() {
    }

    public static String render(DemoSummary s) {
        StringBuilder b = new StringBuilder();
        DemoSummary.Setup u = s.setup();
        line(b, "== abo demo summary: %s; %s min planned, %s run ==", s.endedBy(), num(s.minutesPlanned(), 1),
                duration(s.secondsRun()));
        line(b, "training: %d px input, batch %d, backbone %s, %d classes, both trainers start from the %s anchors",
                u.inputSize(), u.batch(), u.backbone().stream().map(String::valueOf).collect(Collectors.joining("-")),
                u.classes(), u.anchorInit());
        line(b, "  %-34s %15s %15s", "", "learned anchors", "fixed anchors");
        line(b, "  %-34s %15d %15d", "steps", s.learned().steps(), s.fixed().steps());
        line(b, "  %-34s %15s %15s", "steps/s", num(s.learned().stepsPerSecond(), 2), num(s.fixed().stepsPerSecond(), 2));
        line(b, "  %-34s %15d %15d", "steps after the drift", s.learned().stepsAfterDrift(), s.fixed().stepsAfterDrift());
        line(b, "  %-34s %15s %15s", "last held-out AP50", num(s.learned().lastAp50(), 3), num(s.fixed().lastAp50(), 3));
        for (String source : s.batchesWritten().keySet()) {
            line(b, "  %-34s %15s %15s", "batches of " + source, trained(s.learned(), source, s), trained(s.fixed(), source, s));
        }
        if (s.drift() == null) {
            line(b, "drift: not reached");
        } else {
            DemoSummary.Drift d = s.drift();
            line(b, "drift: camera frame %d (batch %d) at %s; first drifted batch trained at step %s (learned), %s (fixed)",
                    d.frame(), d.batch(), duration(d.secondsIntoRun()), orDash(d.learnedStep()), orDash(d.fixedStep()));
        }
        DemoSummary.Registry r = s.registry();
        List<Long> promoted = r.promotedVersions();
        line(b, "anchor versions: %d created, %d promoted (%s); inference served %s at the end", r.versionsCreated(),
                promoted.size(), promoted.isEmpty() ? "none" : elide(promoted.stream().map(v -> "v" + v).toList(), " "),
                r.servingAtEnd() == null ? "nothing" : "v" + r.servingAtEnd());
        decisions(b, r);
        anchors(b, s);
        adaptation(b, s);
        DemoSummary.Ap50 ap = s.ap50();
        if (ap.images() == 0) {
            line(b, "AP50 of the final models: not measured (%s)", s.endedBy());
        } else {
            line(b, "%-65s %7s %7s", "AP50 of the final models on " + ap.images() + " held-out camera scenes per phase",
                    "learned", "fixed");
            line(b, "  %-63s %7s %7s", "before the drift (mixed objects)", num(ap.learnedBefore(), 3), num(ap.fixedBefore(), 3));
            line(b, "  %-63s %7s %7s", "after the drift (small heads)", num(ap.learnedAfter(), 3), num(ap.fixedAfter(), 3));
        }
        DemoSummary.Serving v = s.serving();
        line(b, "Detect over gRPC: %d served, %d failed%s; answered by %s; latency p50 %s ms, p99 %s ms", v.served(), v.failed(),
                v.failedByCode().isEmpty() ? "" : " " + v.failedByCode(),
                v.servedByVersion().isEmpty() ? "no model" : byVersion(v.servedByVersion()),
                num(v.p50Ms(), 0), num(v.p99Ms(), 0));
        if (!s.cpuSeconds().isEmpty()) {
            line(b, "CPU seconds in the training window: %s", s.cpuSeconds().entrySet().stream()
                    .map(e -> e.getKey() + " " + num(e.getValue(), 0)).collect(Collectors.joining(", ")));
        }
        line(b, "out: %s   report: %s", s.outputs().dir(), s.outputs().report());
        line(b, "registry page (while the demo ran): %s (token %s)", s.outputs().registryPage(), r.token());
        return b.toString();
    }

    /** The registry's reasons: for the last {@value #HELD_BACK_SHOWN} versions it held back, and for the last promotion. */
    private static void decisions(StringBuilder b, DemoSummary.Registry r) {
        List<DemoSummary.Version> heldBack = r.versions().stream().filter(v -> Boolean.FALSE.equals(v.promoted())).toList();
        for (DemoSummary.Version v : heldBack.subList(Math.max(0, heldBack.size() - HELD_BACK_SHOWN), heldBack.size())) {
            line(b, "  v%d held back: %s", v.version(), v.decisionReason());
        }
        if (heldBack.size() > HELD_BACK_SHOWN) {
            line(b, "  (%d versions held back in all, the last %d above)", heldBack.size(), HELD_BACK_SHOWN);
        }
        if (!r.promotions().isEmpty()) {
            DemoSummary.Promotion p = r.promotions().get(r.promotions().size() - 1);
            line(b, "  last promotion: v%d (%s)", p.version(), promotion(p));
        }
    }

    /** {@code auto: <the registry's reason>}, or the pointer's reason alone ({@code manual}, {@code rollback}, an unrecorded one). */
    static String promotion(DemoSummary.Promotion p) {
        return p.policyReason() == null ? p.reason() : p.reason() + ": " + p.policyReason();
    }

    private static void anchors(StringBuilder b, DemoSummary s) {
        List<DemoSummary.AnchorRow> rows = s.anchors();
        int width = rows.stream().mapToInt(r -> wh(r).length()).max().orElse(0);
        width = Math.max(width, "anchors (w x h px)".length());
        line(b, "  %-24s %-" + width + "s %8s %8s", "anchor set (avg IoU with", "anchors (w x h px)", "before", "after");
        line(b, "  %-24s %-" + width + "s %8s %8s", "the camera's boxes)", "", "(" + s.cameraBoxes().before() + ")",
                "(" + s.cameraBoxes().after() + ")");
        for (DemoSummary.AnchorRow r : rows) {
            line(b, "  %-24s %-" + width + "s %8s %8s", r.name(), wh(r), num(r.iouBefore(), 3), num(r.iouAfter(), 3));
        }
    }

    /** The claim in one line: the learned anchors' fit to the drifted boxes at the drift and at the end. */
    private static void adaptation(StringBuilder b, DemoSummary s) {
        Optional<DemoSummary.AnchorRow> atDrift = s.anchorRow(DemoSummary.LEARNED_AT_DRIFT);
        Optional<DemoSummary.AnchorRow> atEnd = s.anchorRow(DemoSummary.LEARNED_AT_END);
        if (atDrift.isEmpty() || atEnd.isEmpty() || atEnd.get().iouAfter() == null) {
            line(b, "adaptation: not measured (the trainers did not get past the drift)");
            return;
        }
        line(b, "adaptation: avg IoU of the learned anchors with the drifted boxes %s at the drift -> %s at the end "
                        + "(fixed anchors %s, k-means of those boxes %s); with the boxes before the drift %s -> %s",
                num(atDrift.get().iouAfter(), 3), num(atEnd.get().iouAfter(), 3),
                num(s.anchorRow(DemoSummary.FIXED_AT_END).map(DemoSummary.AnchorRow::iouAfter).orElse(null), 3),
                num(s.anchorRow(DemoSummary.KMEANS_AFTER).map(DemoSummary.AnchorRow::iouAfter).orElse(null), 3),
                num(atDrift.get().iouBefore(), 3), num(atEnd.get().iouBefore(), 3));
    }

    /** {@code trained/written} batches of one source. */
    private static String trained(DemoSummary.Trainer t, String source, DemoSummary s) {
        return t.batchesBySource().getOrDefault(source, 0L) + "/" + s.batchesWritten().get(source);
    }

    static String wh(DemoSummary.AnchorRow r) {
        return r.anchors().stream().map(a -> num(a.w(), 0) + "x" + num(a.h(), 0)).collect(Collectors.joining(" "));
    }

    /** {@code v} with {@code digits} decimals, "-" for null. */
    static String num(Double v, int digits) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String orDash(Long v) {
        return v == null ? "-" : String.valueOf(v);
    }

    /** {@code 8 min 05 s}, or {@code 42 s} under a minute. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
    }

    /** Answers per model version: {@code v3 x12, v5 x40} (the middle elided beyond {@link #LIST_LIMIT} versions). */
    static String byVersion(Map<Long, Long> m) {
        return elide(m.entrySet().stream().map(e -> "v" + e.getKey() + " x" + e.getValue()).toList(), ", ");
    }

    static final int LIST_LIMIT = 8;

    /** {@code items} joined, or the first 4 and the last 3 with {@code ...} between and {@code [n in all]} after beyond {@link #LIST_LIMIT}. */
    static String elide(List<String> items, String separator) {
        if (items.size() <= LIST_LIMIT) {
            return String.join(separator, items);
        }
        return String.join(separator, items.subList(0, 4)) + separator + "..." + separator
                + String.join(separator, items.subList(items.size() - 3, items.size())) + " [" + items.size() + " in all]";
    }
}
