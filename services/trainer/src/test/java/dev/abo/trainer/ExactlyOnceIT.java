package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.loader.BatchAssembler;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash between checkpoints, then a restart on the same checkpoint directory: every produced batch ends up
 * in the durable model's lineage exactly once, the batches trained after the last checkpoint of the crashed
 * run are trained again (their effect died with the process), and the restart ignores committed group
 * offsets that disagree with the checkpoint.
 */
class ExactlyOnceIT {

    private static final int PER_SOURCE = 10;
    /** Two sources whose keys land on different partitions of the 3 (the producer's murmur2 key hash). */
    private static final List<String> SOURCES = sourcesOnDistinctPartitions(3);
    private static final int TOTAL = PER_SOURCE * SOURCES.size();
    /** The crashed run checkpoints after steps 4, 8, 12 and dies right after training step index 13. */
    private static final long CRASH_AFTER_STEP = 13;

    @TempDir
    Path dir;

    record Trained(String source, long seq) {
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash: the process dies between checkpoints");
        }
    }

    @Test
    void crashAndRestartTrainEveryBatchExactlyOnceIntoTheDurableModel() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        Map<String, String> env = TrainerEnv.tiny(broker.bootstrapServers(), "once", dir.resolve("ckpt"));
        TrainerConfig config = TrainerConfig.from(env);
        String topic = config.trainTopic();

        // run 1 trains what is there and dies after step 13 (checkpoints at 4, 8, 12)
        List<Trained> run1 = Collections.synchronizedList(new ArrayList<>());
        List<Long> run1Checkpoints = Collections.synchronizedList(new ArrayList<>());
        try (RunningTrainer first = new RunningTrainer(config, new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                run1.add(new Trained(e.source(), e.sequence()));
                if (e.step() == CRASH_AFTER_STEP) {
                    throw new SimulatedCrash();
                }
            }

            @Override
            public void onCheckpoint(TrainerState state, boolean committed, ComputationGraph net) {
                run1Checkpoints.add(state.step());
            }
        })) {
            // the topics exist once the service ran its start-up; produce after that, all batches at once
            try (TestBatches out = new TestBatches(broker.bootstrapServers())) {
                awaitTopic(broker, topic);
                List<BatchAssembler> sources = SOURCES.stream().map(s -> TestBatches.assembler(s, 32, 2, 7)).toList();
                out.sendAll(topic, sources, PER_SOURCE);
            }
            assertThat(first.awaitEnd(120)).isInstanceOf(SimulatedCrash.class);
        }
        assertThat(run1Checkpoints).containsExactly(4L, 8L, 12L);
        assertThat(run1).hasSize((int) CRASH_AFTER_STEP + 1);

        TrainerState durable = TrainerCheckpoints.readState(dir.resolve("ckpt").resolve(TrainerCheckpoints.FILE));
        assertThat(durable.step()).isEqualTo(12);
        assertThat(durable.ledger().distinctBatches()).isEqualTo(12);
        // the group's offsets were committed with the checkpoint of step 12 and not after it
        Map<TopicPartition, Long> checkpointed = new HashMap<>();
        durable.offsets().forEach(p -> checkpointed.put(new TopicPartition(p.topic(), p.partition()), p.offset()));
        assertThat(checkpointed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(12);
        assertThat(committedOffsets(broker, config.groupId())).isEqualTo(checkpointed);

        // someone moves the group to the end of the topic: the restart must not trust that
        Map<TopicPartition, Long> end = commitEndOffsets(broker, config.groupId(), topic);
        assertThat(end.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TOTAL);
        assertThat(end.values()).as("records per partition").containsOnly(0L, (long) PER_SOURCE);

        List<Trained> run2 = Collections.synchronizedList(new ArrayList<>());
        List<Long> run2Steps = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allTrained = new CountDownLatch(1);
        try (RunningTrainer second = new RunningTrainer(config, new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                run2.add(new Trained(e.source(), e.sequence()));
                run2Steps.add(e.step());
                if (e.step() + 1 == TOTAL) {
                    allTrained.countDown();
                }
            }
        })) {
            second.await(allTrained, "the restarted trainer reaching step " + TOTAL);
            second.stopAndAwait();
        }

        // the restart continued the step count of the checkpoint and trained each remaining batch once
        assertThat(run2Steps.get(0)).isEqualTo(12);
        assertThat(run2).hasSize(TOTAL - 12).doesNotHaveDuplicates();
        // what run 1 trained after its last checkpoint was lost with it and trained again, once
        List<Trained> lostInCrash = run1.subList(12, run1.size());
        assertThat(run2).containsAll(lostInCrash);
        // durable part of run 1 + run 2 = every produced batch, exactly once
        List<Trained> lineage = new ArrayList<>(run1.subList(0, 12));
        lineage.addAll(run2);
        Set<Trained> expected = new HashSet<>();
        for (String s : SOURCES) {
            for (long q = 0; q < PER_SOURCE; q++) {
                expected.add(new Trained(s, q));
            }
        }
        assertThat(lineage).hasSize(TOTAL).doesNotHaveDuplicates();
        assertThat(new HashSet<>(lineage)).isEqualTo(expected);

        // and the final checkpoint says the same: one range 0..9 per source, nothing retrained, all offsets consumed
        TrainerState last = TrainerCheckpoints.readState(dir.resolve("ckpt").resolve(TrainerCheckpoints.FILE));
        assertThat(last.step()).isEqualTo(TOTAL);
        assertThat(last.trained()).containsOnlyKeys(SOURCES);
        SOURCES.forEach(s -> assertThat(last.trained().get(s)).containsExactly(new TrainedLedger.Range(0, PER_SOURCE - 1)));
        assertThat(last.retrainedCount()).isZero();
        Map<TopicPartition, Long> finalOffsets = new HashMap<>();
        last.offsets().forEach(p -> finalOffsets.put(new TopicPartition(p.topic(), p.partition()), p.offset()));
        assertThat(finalOffsets).isEqualTo(end);
        assertThat(committedOffsets(broker, config.groupId())).isEqualTo(end);
    }

    private static List<String> sourcesOnDistinctPartitions(int partitions) {
        List<String> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; out.size() < 2; i++) {
            String id = "cam-" + i;
            int p = Utils.toPositive(Utils.murmur2(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
            if (used.add(p)) {
                out.add(id);
            }
        }
        return out;
    }

    static void awaitTopic(EmbeddedKafkaBroker broker, String topic) throws InterruptedException {
        try (Admin admin = KafkaClients.admin(ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, broker.bootstrapServers())))) {
            for (int i = 0; i < 600; i++) {
                try {
                    if (admin.listTopics().names().get().contains(topic)) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // not yet
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("topic " + topic + " was not created");
    }

    static Map<TopicPartition, Long> committedOffsets(EmbeddedKafkaBroker broker, String group) throws Exception {
        try (Admin admin = KafkaClients.admin(ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, broker.bootstrapServers())))) {
            Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new HashMap<>();
            c.forEach((tp, o) -> out.put(tp, o.offset()));
            return out;
        }
    }

    /** Commits the end offsets of every partition of {@code topic} for {@code group}, as a stray tool might. */
    private static Map<TopicPartition, Long> commitEndOffsets(EmbeddedKafkaBroker broker, String group, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            end.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
            c.commitSync(commit);
            return end;
        }
    }
}
