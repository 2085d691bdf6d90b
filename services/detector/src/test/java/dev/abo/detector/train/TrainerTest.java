package dev.abo.detector.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny runs: 32x32 images of one bright square (6 or 14 px), 4 blocks 8-16-16-32 (stride 8, grid 4x4), A = 2. */
class TrainerTest {
    private static final DetectorConfig DETECTOR = DetectorConfig.defaults(32, 1).withBackbone(List.of(8, 16, 16, 32))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED).withLearningRates(3e-3, 5e-2);
    /** Two nearly identical 9 px anchors: the hard argmax separates them. */
    private static final AnchorSet INIT = AnchorSet.of(
            List.of(new Shape(9 * Math.exp(-0.01), 9 * Math.exp(-0.01)), new Shape(9 * Math.exp(0.01), 9 * Math.exp(0.01))), 32);

    @TempDir
    Path dir;

    private static Trainer trainer(TrainingConfig config) throws IOException {
        return new Trainer(config, new SquareSource(32, 6, 14, 11),
                HeldOutEvaluation.of(new SquareSource(32, 6, 14, 999), config.evalImages()));
    }

    /** Records what the network holds after every step, independently of the trainer's own records. */
    private static final class AnchorSpy implements TrainingListener {
        final List<AnchorSet> anchors = new ArrayList<>();

        @Override
        public void onStep(StepRecord record, ComputationGraph net) {
            anchors.add(DetectorGraph.anchors(net, DETECTOR));
        }
    }

    @Test
    void aShortRunLearnsAndWritesConsistentArtifacts() throws IOException {
        TrainingConfig config = new TrainingConfig(DETECTOR, 48, 8, 0, 0, 24, 32, 7, LearningRatePolicy.CONSTANT);
        Trainer trainer = trainer(config);
        ComputationGraph net = trainer.newNetwork(INIT);
        AnchorSpy spy = new AnchorSpy();

        TrainingReport report = trainer.run(net, 0, spy);

        assertThat(report.steps()).hasSize(48);
        assertThat(report.evals()).extracting(EvalRecord::step).containsExactly(24L, 48L);
        double first = mean(report.steps().subList(0, 4));
        double last = mean(report.steps().subList(44, 48));
        System.out.printf("loss %.3f -> %.3f, AP50 %.3f, anchors %s%n", first, last, report.finalEval().ap50(),
                report.finalAnchors());
        assertThat(last).isLessThan(first / 3);           // measured 11.2 -> 3.1
        assertThat(report.dataWaitFraction()).isBetween(0.0, 1.0);

        TrainingMetrics written = RunArtifacts.write(dir, net, report);

        // anchors.csv: one row per step and anchor, exactly the anchors the network held after that step
        List<String> rows = Files.readAllLines(dir.resolve(RunArtifacts.ANCHORS));
        assertThat(rows.get(0)).isEqualTo("step,k,w_px,h_px");
        assertThat(rows).hasSize(1 + 48 * 2);
        for (int step = 0; step < 48; step++) {
            for (int k = 0; k < 2; k++) {
                String[] f = rows.get(1 + 2 * step + k).split(",");
                assertThat(Long.parseLong(f[0])).isEqualTo(step);
                assertThat(Integer.parseInt(f[1])).isEqualTo(k);
                assertThat(Double.parseDouble(f[2])).isEqualTo(spy.anchors.get(step).get(k).w());
                assertThat(Double.parseDouble(f[3])).isEqualTo(spy.anchors.get(step).get(k).h());
            }
        }
        List<String> history = Files.readAllLines(dir.resolve(RunArtifacts.HISTORY));
        assertThat(history).hasSize(1 + 48);
        assertThat(history.get(24).split(",", -1)[6]).isEqualTo(Double.toString(report.evals().get(0).ap50()));
        assertThat(history.get(23).split(",", -1)[6]).isEmpty();

        // metrics.json round-trips; its anchors are the checkpoint's
        assertThat(RunArtifacts.readMetrics(dir.resolve(RunArtifacts.METRICS))).isEqualTo(written);
        assertThat(written.anchors()).isEqualTo(AnchorPx.of(spy.anchors.get(47)));
        assertThat(written.initialAnchors()).isEqualTo(AnchorPx.of(DetectorGraph.anchors(DetectorGraph.build(DETECTOR, INIT), DETECTOR)));
        Checkpoint.Loaded back = Checkpoint.read(dir.resolve(RunArtifacts.MODEL), true);
        assertThat(back.step()).isEqualTo(48);
        assertThat(AnchorPx.of(back.anchors())).isEqualTo(written.anchors());
    }

    private static double mean(List<StepRecord> steps) {
        return steps.stream().mapToDouble(StepRecord::loss).average().orElseThrow();
    }

    @Test
    void aRunResumedFromItsCheckpointEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        // warm-up (soft assignment + clustering) and the step schedule both span the interruption at step 6
        TrainingConfig config = new TrainingConfig(DETECTOR, 12, 4, 8, 0.1, 6, 8, 3, LearningRatePolicy.STEP);
        Trainer trainer = trainer(config);

        ComputationGraph whole = trainer.newNetwork(INIT);
        TrainingReport wholeReport = trainer.run(whole, 0, TrainingListener.NONE);

        ComputationGraph part = trainer.newNetwork(INIT);
        TrainingReport halfReport = trainer.run(part, 0, 6, TrainingListener.NONE);
        Path file = dir.resolve("half.zip");
        Checkpoint.write(file, part, DETECTOR, 6, true);
        Checkpoint.Loaded loaded = Checkpoint.read(file, true);
        TrainingReport secondReport = trainer.run(loaded.net(), loaded.step(), TrainingListener.NONE);

        assertThat(secondReport.startStep()).isEqualTo(6);
        assertThat(secondReport.steps()).extracting(StepRecord::step).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(secondReport.finalAnchors()).isEqualTo(wholeReport.finalAnchors());
        assertThat(loaded.net().params().equals(whole.params())).isTrue();
        assertThat(secondReport.steps()).extracting(StepRecord::loss)
                .containsExactlyElementsOf(wholeReport.steps().subList(6, 12).stream().map(StepRecord::loss).toList());
        assertThat(halfReport.finalAnchors()).isNotEqualTo(wholeReport.finalAnchors());
        assertThat(secondReport.finalEval().ap50()).isEqualTo(wholeReport.finalEval().ap50());
    }

    @Test
    void fixedAnchorsStayBitIdenticalThroughWarmUpAndTheStepSchedule() throws IOException {
        DetectorConfig fixed = DETECTOR.withAnchors(2, DetectorConfig.AnchorMode.FIXED);
        TrainingConfig config = new TrainingConfig(fixed, 8, 4, 4, 0.2, 8, 4, 5, LearningRatePolicy.STEP);
        Trainer trainer = trainer(config);
        ComputationGraph net = trainer.newNetwork(INIT);
        double[] head = net.getLayer(DetectorGraph.HEAD_WH).getParam("W").dup().ravel().toDoubleVector();

        TrainingReport report = trainer.run(net, 0, TrainingListener.NONE);

        for (StepRecord r : report.steps()) {
            assertThat(r.anchors()).isEqualTo(report.initialAnchors());
            assertThat(r.anchorLr()).isZero();
        }
        assertThat(net.getLayer(DetectorGraph.HEAD_WH).getParam("W").dup().ravel().toDoubleVector()).isNotEqualTo(head);
    }
}
