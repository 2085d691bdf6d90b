package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.abo.detector.train.EvalRecord;
import dev.abo.loader.BatchAssembler;
import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.proto.training.v1.TrainingBatch;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sources with different class lists (synthetic:mixed's five shapes, synthetic:heads' "head") feed one
 * model whose ABO_CLASS_NAMES holds both: both are trained, held-out batches of either are evaluated, and a
 * batch with a class outside the list is dead-lettered with the reason.
 */
class ClassSubsetIT {

    private static final String CLASSES = "box,ball,pole,slab,tri,head";

    @TempDir
    Path dir;

    @Test
    void sourcesWithClassSubsetsTrainOneModelAndAForeignClassIsDeadLettered() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        Map<String, String> env = TrainerEnv.tiny(broker.bootstrapServers(), "subset", dir);
        env.put("ABO_CLASS_NAMES", CLASSES);
        env.put("ABO_EVAL_EVERY", "3");
        TrainerConfig config = TrainerConfig.from(env);
        BatchAssembler mixed = TestBatches.assembler("synthetic:mixed", "m", 32, 2, 3);
        BatchAssembler heads = TestBatches.assembler("synthetic:heads", "h", 32, 2, 3);

        List<String> trained = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
        List<EvalRecord> evals = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch evaluated = new CountDownLatch(1);
        try (RunningTrainer trainer = new RunningTrainer(config, new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                trained.add(e.source() + e.sequence());
            }

            @Override
            public void onDeadLetter(DeadLetterEvent e) {
                deadLetters.add(e.kind() + ": " + e.reason());
            }

            @Override
            public void onEval(EvalRecord e) {
                evals.add(e);
                evaluated.countDown();
            }
        }); TestBatches out = new TestBatches(broker.bootstrapServers())) {
            ExactlyOnceIT.awaitTopic(broker, config.trainTopic());
            // held out: one batch of each source (2 + 2 images)
            out.send(config.evalTopic(), TestBatches.batch(heads, 50));
            out.send(config.evalTopic(), TestBatches.batch(mixed, 50));
            out.send(config.trainTopic(), TestBatches.batch(heads, 0));      // a heads batch starts the model
            out.send(config.trainTopic(), TestBatches.batch(mixed, 0));
            TrainingBatch zebra = TestBatches.batch(heads, 1).toBuilder().setClassNames(0, "zebra").build();
            out.send(config.trainTopic(), zebra);
            out.send(config.trainTopic(), TestBatches.batch(mixed, 1));
            trainer.await(evaluated, "the evaluation at step 3");
            trainer.stopAndAwait();
        }

        assertThat(trained).containsExactly("h0", "m0", "m1");
        assertThat(deadLetters).containsExactly("INCOMPATIBLE: batch classes [zebra] are not among the model's ["
                + CLASSES.replace(",", ", ") + "]");
        assertThat(evals.get(0).step()).isEqualTo(3);
        assertThat(evals.get(0).images()).as("held-out images of both sources").isEqualTo(4);
        TrainerState state = TrainerCheckpoints.readState(dir.resolve(TrainerCheckpoints.FILE));
        assertThat(state.classNames()).containsExactly(CLASSES.split(","));
    }
}
