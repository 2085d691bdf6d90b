package dev.abo.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.HeldOutEvaluation;

/**
 * Turns what the watchers recorded into the {@link DemoSummary}, after every service has stopped: the anchor
 * comparison against each phase's camera boxes, the final AP50 of both trainers' last checkpoints on held-out
 * camera scenes of each phase (skipped for an interrupted run), the registry's log, the Detect calls; then writes
 * {@code summary.json} and the HTML report into the output directory.
 */
final class SummaryAssembly {

    static final String JSON_FILE = "summary.json";

    /** What the run recorded as it went (filled in by {@link DemoRun}). */
    static final class Run {
        final DemoSettings settings;
        final TrainerWatch learned;
        final TrainerWatch fixed;
        String endedBy = "finished";
        String registryUrl;
        DemoPlan plan;
        DemoSummary.Drift drift;
        CpuSplit cpuStart;
        CpuSplit cpuEnd;
        long servingAtEnd = -1;
        double secondsRun;

        Run(DemoSettings settings, TrainerWatch learned, TrainerWatch fixed) {
            this.settings = settings;
            this.learned = learned;
            this.fixed = fixed;
        }
    }

    private final Run run;
    private final SnapshotLogWatch snapshots;
    private final CameraBoxes boxes;
    private final DetectProbe probe;
    private final DemoProgress progress;

    /** Watchers that never started are null. */
    SummaryAssembly(Run run, SnapshotLogWatch snapshots, CameraBoxes boxes, DetectProbe probe, DemoProgress progress) {
        this.run = run;
        this.snapshots = snapshots;
        this.boxes = boxes;
        this.probe = probe;
        this.progress = progress;
    }

    DemoSummary summary() throws IOException {
        DemoSettings s = run.settings;
        int size = s.inputSize();
        long driftBatch = run.drift == null ? Long.MAX_VALUE : run.drift.batch();
        List<Shape> before = boxes == null ? List.of() : boxes.shapes(0, driftBatch);
        List<Shape> after = boxes == null ? List.of() : boxes.shapes(driftBatch, Long.MAX_VALUE);
        AnchorComparison anchors = new AnchorComparison(before, after);
        anchors.add(DemoSummary.INITIAL + " (" + s.init().cliName() + ")", s.init().anchors(size, size, 1 << (s.backbone().size() - 1)));
        run.learned.atDrift().ifPresent(d -> anchors.add(DemoSummary.LEARNED_AT_DRIFT, AnchorPx.toSet(d.anchors(), size)));
        run.learned.lastStep().ifPresent(st -> anchors.add(DemoSummary.LEARNED_AT_END, AnchorPx.toSet(st.anchors(), size)));
        run.fixed.lastStep().ifPresent(st -> anchors.add(DemoSummary.FIXED_AT_END, AnchorPx.toSet(st.anchors(), size)));
        int k = s.init().anchors(size, size, 1).size();
        Optional.ofNullable(AnchorComparison.kmeans(before, k, size, s.seed())).ifPresent(a -> anchors.add(DemoSummary.KMEANS_BEFORE, a));
        Optional.ofNullable(AnchorComparison.kmeans(after, k, size, s.seed())).ifPresent(a -> anchors.add(DemoSummary.KMEANS_AFTER, a));

        DemoSummary.Drift drift = run.drift == null ? null : new DemoSummary.Drift(run.drift.frame(), run.drift.batch(),
                run.drift.secondsIntoRun(), run.learned.atDrift().map(TrainerWatch.AtDrift::step).orElse(null),
                run.fixed.atDrift().map(TrainerWatch.AtDrift::step).orElse(null));
        DemoSummary.Registry registry = new DemoSummary.Registry(run.registryUrl, s.registryToken(),
                snapshots == null ? List.of() : snapshots.versions().stream()
                        .map(v -> new DemoSummary.Version(v.version(), v.step(), v.ap50(),
                                v.decision() == null ? null : v.decision().promoted(),
                                v.decision() == null ? null : v.decision().reason())).toList(),
                snapshots == null ? List.of() : snapshots.promotions().stream()
                        .map(p -> new DemoSummary.Promotion(p.version(), p.reason(), p.policyReason())).toList(),
                run.servingAtEnd < 0 ? null : run.servingAtEnd);
        DemoSummary.Serving serving = probe == null ? new DemoSummary.Serving(0, 0, Map.of(), Map.of(), null, null)
                : new DemoSummary.Serving(probe.served(), probe.failed(), probe.servedByVersion(), probe.failedByCode(),
                probe.latencyMs(0.5), probe.latencyMs(0.99));
        boolean complete = run.endedBy.equals("finished");
        DemoPlan plan = run.plan;
        DemoSummary.Setup setup = new DemoSummary.Setup(size, s.batch(), s.backbone(), ServiceSettings.classNames(s.seed()).size(),
                s.init().cliName(), s.stepsPerSecond(), plan == null ? 0 : plan.trainingSeconds(),
                plan == null ? 0 : plan.warmupSteps(), plan == null ? 0 : plan.cameraRate(), plan == null ? 0 : plan.vocRate(),
                s.evalEvery(), s.evalImages());
        Path report = s.out().resolve(HtmlReport.FILE);
        DemoSummary summary = new DemoSummary(complete, run.endedBy, s.length().toMillis() / 60_000.0, run.secondsRun, setup,
                trainer(run.learned), trainer(run.fixed), boxes == null ? Map.of() : boxes.batches(), drift, registry,
                anchors.rows(),
                new DemoSummary.Phases(before.size(), after.size()), complete ? finalAp50(s) : new DemoSummary.Ap50(0, null, null, null, null),
                serving, run.cpuStart == null || run.cpuEnd == null ? Map.of() : run.cpuEnd.since(run.cpuStart),
                new DemoSummary.Outputs(s.out().toString(), report.toString(), run.registryUrl == null ? "-" : run.registryUrl + "/"));
        summary.writeJson(s.out().resolve(JSON_FILE));
        HtmlReport.write(s.out(), summary, before, after,
                new HtmlReport.Curves(run.learned.steps(), run.learned.evals(), run.fixed.evals()),
                List.of(DemoSummary.INITIAL + " (" + s.init().cliName() + ")", DemoSummary.LEARNED_AT_DRIFT, DemoSummary.KMEANS_BEFORE), List.of(DemoSummary.LEARNED_AT_DRIFT, DemoSummary.LEARNED_AT_END, DemoSummary.KMEANS_AFTER));
        return summary;
    }

    private DemoSummary.Ap50 finalAp50(DemoSettings s) throws IOException {
        progress.event("evaluating both final models on " + s.finalEvalImages() + " held-out camera scenes of each phase");
        List<String> classes = ServiceSettings.classNames(s.seed());
        HeldOutEvaluation before = CameraScenes.heldOut(s.seed(), false, s.inputSize(), classes, s.finalEvalImages());
        HeldOutEvaluation after = CameraScenes.heldOut(s.seed(), true, s.inputSize(), classes, s.finalEvalImages());
        Path learned = s.out().resolve(ServiceSettings.LEARNED_DIR);
        Path fixed = s.out().resolve(ServiceSettings.FIXED_DIR);
        return new DemoSummary.Ap50(s.finalEvalImages(), ap(learned, before), ap(fixed, before), ap(learned, after), ap(fixed, after));
    }

    private static Double ap(Path checkpointDir, HeldOutEvaluation scenes) {
        try {
            return CameraScenes.evaluate(checkpointDir, scenes).map(EvalRecord::ap50).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DemoSummary.Trainer trainer(TrainerWatch w) {
        return new DemoSummary.Trainer(w.stepCount(), w.stepsPerSecond(), w.stepsAfterDrift(), w.batchesBySource(),
                w.deadLetters(), w.evals().stream()
                .map(e -> new DemoSummary.EvalPoint(e.step(), e.ap50(), e.anchorIou(), e.images())).toList());
    }
}
