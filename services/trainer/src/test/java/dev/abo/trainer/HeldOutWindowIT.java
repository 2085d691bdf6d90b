package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.abo.loader.BatchAssembler;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.EmbeddedKafkaBroker;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.Test;

/**
 * The held-out set is a sliding window of the newest {@code capacity} images of the evaluation topic: new
 * held-out records push the oldest images out, a restart finds the same window without reading the topic
 * from its beginning, and unusable records are rejected and skipped. Window ids are derived by hand from the
 * (offset, image index) of the first and last image kept.
 */
class HeldOutWindowIT {

    private static final Duration BUDGET = Duration.ofSeconds(30);

    /** Counts what the set rejects, by offset. */
    private static final class Rejected implements HeldOutSet.Rejects {
        final List<Long> offsets = new ArrayList<>();

        @Override
        public void reject(ConsumerRecord<String, TrainingBatch> record, Exception reason) {
            offsets.add(record.offset());
        }

        @Override
        public void reject(RecordDeserializationException error) {
            offsets.add(error.offset());
        }
    }

    @Test
    void theWindowKeepsTheNewestImagesAndARestartFindsTheSameWindow() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        TrainerConfig config = TrainerConfig.from(TrainerEnv.tiny(broker.bootstrapServers(), "window", java.nio.file.Path.of("unused")));
        TopicSpec<String, TrainingBatch> topic = config.evalSpec();
        ConfigSource kafka = ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, broker.bootstrapServers()));
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicAdmin.ensure(admin, List.of(topic));
        }
        BatchAssembler twoImages = TestBatches.assembler("held-out", 32, 2, 7);
        ModelShape shape = new ModelShape(32, TestBatches.batch(twoImages, 0).getClassNamesList());
        String t = topic.name() + "-0@";

        try (TestBatches out = new TestBatches(broker.bootstrapServers())) {
            for (int i = 0; i < 4; i++) {                       // offsets 0..3, two images each
                out.send(topic.name(), TestBatches.batch(twoImages, i));
            }
            Rejected rejected = new Rejected();
            try (HeldOutSet set = open(kafka, topic, 5, rejected)) {
                assertThat(set.id()).isEmpty();
                set.refresh(shape, BUDGET);
                // 8 images, the newest 5: (1,1) (2,0) (2,1) (3,0) (3,1)
                assertThat(set.size()).isEqualTo(5);
                assertThat(set.id()).isEqualTo(t + "1.1..3.1");

                out.send(topic.name(), TestBatches.batch(twoImages, 4));              // offset 4
                out.send(topic.name(), "held-out", "not a protobuf \u00ff".getBytes(UTF_8));   // offset 5
                out.send(topic.name(), TestBatches.batch(TestBatches.assembler("other", 16, 2, 7), 0)); // offset 6: 16 px
                out.send(topic.name(), TestBatches.batch(twoImages, 5));              // offset 7
                set.refresh(shape, BUDGET);
                // (3,0) (3,1) (4,0) (4,1) (7,0) (7,1) minus the oldest: (3,1) .. (7,1)
                assertThat(set.size()).isEqualTo(5);
                assertThat(set.id()).isEqualTo(t + "3.1..7.1");
                assertThat(rejected.offsets).containsExactly(5L, 6L);

                set.refresh(shape, BUDGET);                                            // nothing new
                assertThat(set.id()).isEqualTo(t + "3.1..7.1");
            }

            // a restart reads the last 5 records (offsets 3..7), not the topic from its beginning, and keeps
            // the same images
            Rejected again = new Rejected();
            try (HeldOutSet restarted = open(kafka, topic, 5, again)) {
                restarted.refresh(shape, BUDGET);
                assertThat(restarted.id()).isEqualTo(t + "3.1..7.1");
                assertThat(again.offsets).containsExactly(5L, 6L);
            }
            Rejected small = new Rejected();
            try (HeldOutSet twoRecords = open(kafka, topic, 2, small)) {
                twoRecords.refresh(shape, BUDGET);                                     // reads offsets 6 and 7
                assertThat(twoRecords.id()).isEqualTo(t + "7.0..7.1");
                assertThat(small.offsets).containsExactly(6L);
            }
        }
    }

    private static HeldOutSet open(ConfigSource kafka, TopicSpec<String, TrainingBatch> topic, int capacity, Rejected r) {
        return new HeldOutSet(KafkaClients.consumer(kafka, "unused-heldout", topic), topic, capacity, r);
    }
}
