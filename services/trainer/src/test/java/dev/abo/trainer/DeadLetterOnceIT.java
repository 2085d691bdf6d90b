package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.loader.BatchAssembler;
import dev.abo.platform.kafka.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-lettering is idempotent across a crash: two poison records dead-lettered after the last checkpoint, a
 * crash before the next one, a restart from the checkpoint replays both, and the dead-letter topic still holds
 * each once (with this group in {@value DeadLetters#CONSUMER_GROUP}); a new poison record after the restart is
 * written. What is counted: the lineage's {@code deadLettered} counts every poison record once; the restarted
 * process's {@code abo.trainer.dead.letters} counts only what it wrote, {@code abo.trainer.dead.letters.replayed}
 * what it found written. One partition (one key), so the order is fixed. About 6 s.
 */
class DeadLetterOnceIT {

    @TempDir
    Path dir;

    record Letter(long offset, boolean written) {
    }

    @Test
    void poisonDeadLetteredBeforeACrashIsNotWrittenAgainByTheRestartedTrainer() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        TrainerConfig config = TrainerConfig.from(TrainerEnv.tiny(broker.bootstrapServers(), "dlqonce", dir));  // checkpoint every 4
        String topic = config.trainTopic();
        String dlq = config.trainSpec().dlq().name();
        BatchAssembler valid = TestBatches.assembler("p", 32, 2, 3);

        // run 1: steps 0-3 (checkpoint at step 4), poison A, step 4, poison B, step 5, and the process dies
        List<Letter> run1 = Collections.synchronizedList(new ArrayList<>());
        List<TrainerState> run1Checkpoints = Collections.synchronizedList(new ArrayList<>());
        long a;
        long b;
        try (RunningTrainer first = new RunningTrainer(config, new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                if (e.step() == 5) {
                    throw new ExactlyOnceIT.SimulatedCrash();
                }
            }

            @Override
            public void onDeadLetter(DeadLetterEvent e) {
                run1.add(new Letter(e.offset(), e.written()));
            }

            @Override
            public void onCheckpoint(TrainerState state, boolean committed, ComputationGraph net) {
                run1Checkpoints.add(state);
            }
        }); TestBatches out = new TestBatches(broker.bootstrapServers())) {
            ExactlyOnceIT.awaitTopic(broker, topic);
            for (int i = 0; i < 4; i++) {
                out.send(topic, TestBatches.batch(valid, i));
            }
            a = out.send(topic, "p", "not a protobuf".getBytes(UTF_8)).offset();
            out.send(topic, TestBatches.batch(valid, 4));
            b = out.send(topic, TestBatches.batch(valid, 100).toBuilder().setSchemaVersion(2).build()).offset();
            out.send(topic, TestBatches.batch(valid, 5));
            assertThat(first.awaitEnd(120)).isInstanceOf(ExactlyOnceIT.SimulatedCrash.class);
        }
        assertThat(run1).containsExactly(new Letter(a, true), new Letter(b, true));
        // the only checkpoint (step 4) is before both; the dead-letter topic was empty when run 1 started
        assertThat(run1Checkpoints).extracting(TrainerState::step).containsExactly(4L);
        assertThat(run1Checkpoints.get(0).deadLettered()).isZero();
        assertThat(run1Checkpoints.get(0).deadLetterScanFrom()).containsExactly(new TrainerState.PartitionOffset(dlq, 0, 0));
        assertThat(PoisonRecordsIT.readAll(broker, dlq, 2)).hasSize(2);

        // run 2 from the step-4 checkpoint: replays A, step 4, B, step 5; then a new poison C and step 6
        List<Letter> run2 = Collections.synchronizedList(new ArrayList<>());
        List<Long> run2Steps = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch sixTrained = new CountDownLatch(1);
        long c;
        MeterRegistry run2Meters;
        try (RunningTrainer second = new RunningTrainer(config, new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                run2Steps.add(e.sequence());
                if (e.sequence() == 6) {
                    sixTrained.countDown();
                }
            }

            @Override
            public void onDeadLetter(DeadLetterEvent e) {
                run2.add(new Letter(e.offset(), e.written()));
            }
        }); TestBatches out = new TestBatches(broker.bootstrapServers())) {
            c = out.send(topic, "p", new byte[] {(byte) 0xff, 0x01}).offset();
            out.send(topic, TestBatches.batch(valid, 6));
            second.await(sixTrained, "batch 6 trained");
            second.stopAndAwait();
            run2Meters = second.registry;
        }
        assertThat(run2Steps).containsExactly(4L, 5L, 6L);
        assertThat(run2).containsExactly(new Letter(a, false), new Letter(b, false), new Letter(c, true));
        assertThat(sum(run2Meters, "abo.trainer.dead.letters")).isEqualTo(1.0);
        assertThat(sum(run2Meters, "abo.trainer.dead.letters.replayed")).isEqualTo(2.0);
        assertThat(sum(run2Meters, DeadLetters.COUNTER)).isEqualTo(1.0);

        // the dead-letter topic: A, B, C once each, with their source offsets and this group
        List<ConsumerRecord<byte[], byte[]>> letters = PoisonRecordsIT.readAll(broker, dlq, 3);
        assertThat(letters).extracting(r -> Long.parseLong(header(r, DeadLetters.SOURCE_OFFSET))).containsExactly(a, b, c);
        assertThat(letters).extracting(r -> header(r, DeadLetters.CONSUMER_GROUP)).containsOnly(config.groupId());

        // the lineage counts each poison record once; a restart from this checkpoint reads the topic from its end
        TrainerState state = TrainerCheckpoints.readState(dir.resolve(TrainerCheckpoints.FILE));
        assertThat(state.step()).isEqualTo(7);
        assertThat(state.deadLettered()).isEqualTo(3);
        assertThat(state.offsets().stream().mapToLong(TrainerState.PartitionOffset::offset).sum()).isEqualTo(c + 2);
        assertThat(state.deadLetterScanFrom()).containsExactly(new TrainerState.PartitionOffset(dlq, 0, 3));
    }

    private static double sum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), UTF_8);
    }
}
