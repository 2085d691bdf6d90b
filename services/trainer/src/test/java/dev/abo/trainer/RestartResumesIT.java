package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.detector.AnchorYoloOutputLayer;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.EvalRecord;
import dev.abo.loader.BatchAssembler;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop writes a final checkpoint; a new trainer on the same directory starts from exactly the
 * state the stopped one had in memory (step, anchors, weights, Adam state) and continues the step count.
 * Also: periodic evaluation on the held-out topic, bounded by {@code ABO_EVAL_IMAGES}.
 */
class RestartResumesIT {

    @TempDir
    Path dir;

    /** A copy of what the network holds: log-anchors, all parameters, the Adam state. */
    record Snapshot(long step, float[] logW, float[] logH, float[] params, float[] updater) {
        static Snapshot of(long step, ComputationGraph net) {
            Layer yolo = net.getLayer(DetectorGraph.OUTPUT);
            return new Snapshot(step, yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_W).dup().toFloatVector(),
                    yolo.getParam(AnchorYoloOutputLayer.PARAM_LOG_H).dup().toFloatVector(),
                    net.params().dup().toFloatVector(), net.getUpdater().getStateViewArray().dup().toFloatVector());
        }
    }

    @Test
    void restartResumesFromExactlyTheStoppedState() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        java.util.Map<String, String> env = TrainerEnv.tiny(broker.bootstrapServers(), "resume", dir);
        env.put("ABO_CHECKPOINT_EVERY", "1000");        // only the final, graceful checkpoint
        env.put("ABO_EVAL_EVERY", "3");
        env.put("ABO_EVAL_IMAGES", "5");
        TrainerConfig trainerConfig = TrainerConfig.from(env);
        BatchAssembler source = TestBatches.assembler("r", 32, 2, 5);
        BatchAssembler heldOut = TestBatches.assembler("held-out", 32, 2, 99);

        AtomicReference<Snapshot> stopped = new AtomicReference<>();
        AtomicReference<float[]> initialLogW = new AtomicReference<>();
        List<EvalRecord> evals = Collections.synchronizedList(new ArrayList<>());
        List<List<AnchorPx>> anchorsAtStep = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch sixTrained = new CountDownLatch(1);
        try (RunningTrainer first = new RunningTrainer(trainerConfig, new TrainerListener() {
            @Override
            public void onModelReady(ModelShape shape, long step, boolean restored, ComputationGraph net) {
                initialLogW.set(Snapshot.of(step, net).logW());
            }

            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                anchorsAtStep.add(e.result().anchors());
                if (e.step() == 5) {
                    sixTrained.countDown();
                }
            }

            @Override
            public void onCheckpoint(TrainerState state, boolean committed, ComputationGraph net) {
                stopped.set(Snapshot.of(state.step(), net));
            }

            @Override
            public void onEval(EvalRecord e) {
                evals.add(e);
            }
        }); TestBatches out = new TestBatches(broker.bootstrapServers())) {
            ExactlyOnceIT.awaitTopic(broker, trainerConfig.evalTopic());
            for (int i = 0; i < 4; i++) {                 // 8 held-out images, 5 are kept
                out.send(trainerConfig.evalTopic(), TestBatches.batch(heldOut, i));
            }
            for (int i = 0; i < 6; i++) {
                out.send(trainerConfig.trainTopic(), TestBatches.batch(source, i));
            }
            first.await(sixTrained, "step 5 trained");
            first.stopAndAwait();
        }
        // evaluations after steps 3 and 6, on the first 5 held-out images, with the anchors of that step
        assertThat(evals).extracting(EvalRecord::step).containsExactly(3L, 6L);
        assertThat(evals).extracting(EvalRecord::images).containsExactly(5, 5);
        assertThat(evals.get(0).anchors()).isEqualTo(anchorsAtStep.get(2));
        assertThat(evals.get(1).anchors()).isEqualTo(anchorsAtStep.get(5));

        Snapshot before = stopped.get();
        assertThat(before.step()).isEqualTo(6);

        AtomicReference<Snapshot> resumed = new AtomicReference<>();
        List<Long> steps = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch twoMore = new CountDownLatch(1);
        try (RunningTrainer second = new RunningTrainer(trainerConfig, new TrainerListener() {
            @Override
            public void onModelReady(ModelShape shape, long step, boolean restored, ComputationGraph net) {
                assertThat(restored).isTrue();
                resumed.set(Snapshot.of(step, net));
            }

            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                steps.add(e.step());
                if (e.step() == 7) {
                    twoMore.countDown();
                }
            }
        }); TestBatches out = new TestBatches(broker.bootstrapServers())) {
            out.send(trainerConfig.trainTopic(), TestBatches.batch(source, 6));
            out.send(trainerConfig.trainTopic(), TestBatches.batch(source, 7));
            second.await(twoMore, "step 7 trained");
            second.stopAndAwait();
        }
        Snapshot after = resumed.get();
        assertThat(after.step()).isEqualTo(6);
        assertThat(after.logW()).containsExactly(before.logW());
        assertThat(after.logH()).containsExactly(before.logH());
        // the anchors did move during the 6 steps (so the comparison is not of initial values)
        assertThat(before.logW()).isNotEqualTo(initialLogW.get());
        assertThat(Arrays.equals(after.params(), before.params())).as("weights equal bit for bit").isTrue();
        assertThat(Arrays.equals(after.updater(), before.updater())).as("Adam state equal bit for bit").isTrue();
        assertThat(max(before.updater())).as("Adam state after 6 steps is not empty").isGreaterThan(0f);
        assertThat(steps).containsExactly(6L, 7L);
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
