package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.detector.train.EvalRecord;
import dev.abo.loader.BatchAssembler;
import dev.abo.platform.kafka.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Held-out dead letters are written once, also across a restart: the held-out consumer of a restarted trainer
 * re-reads the last {@code ABO_EVAL_IMAGES} records of the held-out topic, poison among them, and finds their
 * letters in {@code <eval topic>.dlq} (read on start, {@link DeadLetterLog}); a new poison record after the restart
 * is written. One partition (one key), so the order is fixed. About 6 s.
 */
class HeldOutDeadLetterOnceIT {

    @TempDir
    Path dir;

    @Test
    void heldOutPoisonDeadLetteredBeforeARestartIsNotWrittenAgain() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        Map<String, String> env = new HashMap<>(TrainerEnv.tiny(broker.bootstrapServers(), "heldoutonce", dir));
        env.put("ABO_EVAL_EVERY", "1");
        env.put("ABO_EVAL_IMAGES", "8");            // the window starts 8 records before the end: all of them
        TrainerConfig config = TrainerConfig.from(env);
        String evalTopic = config.evalTopic();
        String dlq = config.evalSpec().dlq().name();
        BatchAssembler valid = TestBatches.assembler("p", 32, 2, 3);

        // run 1: a valid held-out batch, two poison records (not protobuf; schema version 2), two training steps
        long a;
        long b;
        CountDownLatch evaluatedAt2 = new CountDownLatch(1);
        try (RunningTrainer first = new RunningTrainer(config, evalAt(2, evaluatedAt2));
             TestBatches out = new TestBatches(broker.bootstrapServers())) {
            ExactlyOnceIT.awaitTopic(broker, config.trainTopic());
            out.send(evalTopic, TestBatches.batch(valid, 50));
            a = out.send(evalTopic, "p", "not a protobuf".getBytes(UTF_8)).offset();
            b = out.send(evalTopic, TestBatches.batch(valid, 51).toBuilder().setSchemaVersion(2).build()).offset();
            out.send(config.trainTopic(), TestBatches.batch(valid, 0));
            out.send(config.trainTopic(), TestBatches.batch(valid, 1));
            first.await(evaluatedAt2, "the evaluation at step 2");
            first.stopAndAwait();
            assertThat(sum(first.registry, "abo.trainer.dead.letters")).isEqualTo(2.0);
            assertThat(sum(first.registry, "abo.trainer.dead.letters.replayed")).isZero();
        }
        assertThat(PoisonRecordsIT.readAll(broker, dlq, 2)).hasSize(2);

        // run 2 (from the checkpoint at step 2) re-reads a, b; then a new poison record c and a third step
        long c;
        MeterRegistry run2Meters;
        CountDownLatch evaluatedAt3 = new CountDownLatch(1);
        try (RunningTrainer second = new RunningTrainer(config, evalAt(3, evaluatedAt3));
             TestBatches out = new TestBatches(broker.bootstrapServers())) {
            c = out.send(evalTopic, "p", new byte[] {(byte) 0xff, 0x01}).offset();
            out.send(config.trainTopic(), TestBatches.batch(valid, 2));
            second.await(evaluatedAt3, "the evaluation at step 3");
            second.stopAndAwait();
            run2Meters = second.registry;
        }
        assertThat(sum(run2Meters, "abo.trainer.dead.letters")).isEqualTo(1.0);
        assertThat(sum(run2Meters, "abo.trainer.dead.letters.replayed")).isEqualTo(2.0);
        assertThat(sum(run2Meters, DeadLetters.COUNTER)).isEqualTo(1.0);

        // the held-out dead-letter topic: a, b, c once each, with their source offsets and this group
        List<ConsumerRecord<byte[], byte[]>> letters = PoisonRecordsIT.readAll(broker, dlq, 3);
        assertThat(letters).extracting(r -> Long.parseLong(header(r, DeadLetters.SOURCE_OFFSET))).containsExactly(a, b, c);
        assertThat(letters).extracting(r -> header(r, DeadLetters.SOURCE_TOPIC)).containsOnly(evalTopic);
        assertThat(letters).extracting(r -> header(r, DeadLetters.CONSUMER_GROUP)).containsOnly(config.groupId());
    }

    /** Counts down {@code latch} at the evaluation after {@code step}. */
    private static TrainerListener evalAt(long step, CountDownLatch latch) {
        return new TrainerListener() {
            @Override
            public void onEval(EvalRecord e) {
                if (e.step() == step) {
                    latch.countDown();
                }
            }
        };
    }

    private static double sum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), UTF_8);
    }
}
