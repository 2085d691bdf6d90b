package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.loader.BatchAssembler;
import dev.abo.platform.kafka.DeadLetters;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison between valid batches of one source (one partition, so the order is fixed): each lands in
 * {@code <topic>.dlq} with a reason naming the problem, and the valid batches around them are all trained,
 * in order, one step each.
 */
class PoisonRecordsIT {

    @TempDir
    Path dir;

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndTrainingGoesOn() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        TrainerConfig config = TrainerConfig.from(TrainerEnv.tiny(broker.bootstrapServers(), "poison", dir));
        String topic = config.trainTopic();
        BatchAssembler valid = TestBatches.assembler("p", 32, 2, 3);
        BatchAssembler otherSize = TestBatches.assembler("p", 16, 2, 3);
        TrainingBatch v5 = TestBatches.batch(valid, 5);

        List<Long> trainedSeqs = Collections.synchronizedList(new ArrayList<>());
        List<Long> steps = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        // expected dead letters: offset -> (kind, a phrase the reason must contain)
        Map<Long, List<String>> poison = new LinkedHashMap<>();
        Map<Long, String> deadLetterKinds = Collections.synchronizedMap(new HashMap<>());
        try (RunningTrainer trainer = new RunningTrainer(config, new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                trainedSeqs.add(e.sequence());
                steps.add(e.step());
                if (e.sequence() == 7) {
                    done.countDown();
                }
            }

            @Override
            public void onDeadLetter(DeadLetterEvent e) {
                deadLetterKinds.put(e.offset(), e.kind());
            }
        }); TestBatches out = new TestBatches(broker.bootstrapServers())) {
            ExactlyOnceIT.awaitTopic(broker, topic);
            out.send(topic, TestBatches.batch(valid, 0));
            poison.put(out.send(topic, "p", "not a protobuf \u00ff\u00fe".getBytes(UTF_8)).offset(),
                    List.of("UNDECODABLE", "cannot decode"));
            out.send(topic, TestBatches.batch(valid, 1));
            poison.put(out.send(topic, TestBatches.batch(valid, 100).toBuilder().setSchemaVersion(2).build()).offset(),
                    List.of("SCHEMA_VERSION", "unknown schema_version 2"));
            out.send(topic, TestBatches.batch(valid, 2));
            TrainingBatch nan = TestBatches.batch(valid, 101);
            nan = nan.toBuilder().setImages(0, nan.getImages(0).toBuilder().addBoxes(ObjectBox.newBuilder()
                    .setX1Px(1).setY1Px(1).setX2Px(Float.NaN).setY2Px(5).setClassId(0))).build();
            poison.put(out.send(topic, nan).offset(), List.of("BOX", "non-finite coordinate"));
            out.send(topic, TestBatches.batch(valid, 3));
            poison.put(out.send(topic, TestBatches.batch(valid, 102).toBuilder().setInputWidthPx(0).build()).offset(),
                    List.of("INPUT_SIZE", "input size 0x32"));
            out.send(topic, TestBatches.batch(valid, 4));
            poison.put(out.send(topic, v5.toBuilder().setClassNames(0, "zebra").build()).offset(),
                    List.of("INCOMPATIBLE", "batch classes [zebra] are not among the model's"));
            out.send(topic, v5);
            poison.put(out.send(topic, TestBatches.batch(otherSize, 103)).offset(),
                    List.of("INCOMPATIBLE", "batch input is 16x16 px but the model's is 32x32"));
            out.send(topic, TestBatches.batch(valid, 6));
            out.send(topic, TestBatches.batch(valid, 7));
            trainer.await(done, "batch 7 trained");
            trainer.stopAndAwait();

            assertThat(trainedSeqs).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(steps).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            poison.forEach((offset, expected) -> assertThat(deadLetterKinds.get(offset)).as("kind at " + offset).isEqualTo(expected.get(0)));
            double counted = trainer.registry.find("abo.trainer.dead.letters").counters().stream().mapToDouble(Counter::count).sum();
            assertThat(counted).isEqualTo(poison.size());
        }

        // the dead-letter topic holds exactly the poison, each with its source offset and reason
        Map<Long, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(broker, topic + ".dlq", poison.size())) {
            long offset = Long.parseLong(header(r, DeadLetters.SOURCE_OFFSET));
            assertThat(header(r, DeadLetters.SOURCE_TOPIC)).isEqualTo(topic);
            reasons.put(offset, header(r, DeadLetters.ERROR_MESSAGE));
        }
        assertThat(reasons).containsOnlyKeys(poison.keySet());
        poison.forEach((offset, expected) -> assertThat(reasons.get(offset)).as("reason at " + offset).contains(expected.get(1)));

        // the final checkpoint moved past the poison too
        TrainerState state = TrainerCheckpoints.readState(dir.resolve(TrainerCheckpoints.FILE));
        assertThat(state.step()).isEqualTo(8);
        assertThat(state.deadLettered()).isEqualTo(poison.size());
        // a restart from it reads the dead-letter topic from its end: every letter's record is behind the offsets
        assertThat(state.deadLetterScanFrom()).containsExactly(new TrainerState.PartitionOffset(topic + ".dlq", 0, poison.size()));
        assertThat(state.trained()).containsOnlyKeys("p");
        assertThat(state.trained().get("p")).containsExactly(new TrainedLedger.Range(0, 7));
        assertThat(state.offsets().stream().mapToLong(TrainerState.PartitionOffset::offset).sum()).isEqualTo(8 + poison.size());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), UTF_8);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            assertThat(end).as("records in " + topic).isEqualTo(expected);
            while (c.position(tp) < end) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
