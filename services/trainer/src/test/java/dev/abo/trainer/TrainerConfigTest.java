package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.LearningRatePolicy;
import dev.abo.platform.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        TrainerConfig c = TrainerConfig.from(env());
        assertThat(c.groupId()).isEqualTo("abo-trainer");
        assertThat(c.trainTopic()).isEqualTo("train.batches");
        assertThat(c.evalTopic()).isEqualTo("eval.batches");
        assertThat(c.inputSize()).isEmpty();
        assertThat(c.classNames()).isEmpty();
        assertThat(c.backbone()).containsExactly(16, 32, 64, 128, 128);
        assertThat(c.anchorInit()).isEqualTo(AnchorInit.UNIFORM);
        assertThat(c.anchorMode()).isEqualTo(DetectorConfig.AnchorMode.LEARNED);
        assertThat(c.lrPolicy()).isEqualTo(LearningRatePolicy.CONSTANT);
        assertThat(c.warmupSteps()).isEqualTo(1500);
        assertThat(c.checkpointDir()).isEqualTo(Path.of("trainer-checkpoints"));
        assertThat(c.checkpointEvery()).isEqualTo(100);
        assertThat(c.evalEvery()).isEqualTo(200);
        assertThat(c.evalImages()).isEqualTo(128);
        assertThat(c.metrics().port()).isEqualTo(9400);
        // rates left unset follow the detector's defaults
        DetectorConfig d = c.detectorConfig(64, 3);
        DetectorConfig defaults = DetectorConfig.defaults(64, 3);
        assertThat(d.networkLearningRate()).isEqualTo(defaults.networkLearningRate());
        assertThat(d.anchorLearningRate()).isEqualTo(defaults.anchorLearningRate());
        assertThat(d.seed()).isEqualTo(1);
    }

    @Test
    void settingsReachTheDetectorAndTopics() {
        TrainerConfig c = TrainerConfig.from(env("ABO_INPUT_SIZE", "64", "ABO_CLASS_NAMES", "head, car", "ABO_BACKBONE", "8,16,16",
                "ABO_LR", "0.002", "ABO_ANCHOR_LR", "0.05", "ABO_ANCHORS_MODE", "fixed", "ABO_NUM_ANCHORS", "3",
                "ABO_TRAIN_TOPIC", "t.train", "ABO_SEED", "9"));
        assertThat(c.inputSize()).hasValue(64);
        assertThat(c.classNames()).contains(List.of("head", "car"));
        assertThat(c.trainSpec().name()).isEqualTo("t.train");
        assertThat(c.trainSpec().dlq().name()).isEqualTo("t.train.dlq");
        DetectorConfig d = c.detectorConfig(64, 2);
        assertThat(d.backboneChannels()).containsExactly(8, 16, 16);
        assertThat(d.numAnchors()).isEqualTo(3);
        assertThat(d.anchorMode()).isEqualTo(DetectorConfig.AnchorMode.FIXED);
        assertThat(d.networkLearningRate()).isEqualTo(0.002);
        assertThat(d.anchorLearningRate()).isEqualTo(0.05);
        assertThat(d.seed()).isEqualTo(9);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_CHECKPOINT_EVRY", "5")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_CHECKPOINT_EVRY='5'");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_CHECKPOINT_EVERY", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_CHECKPOINT_EVERY='0'");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_INPUT_SIZE", "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ABO_INPUT_SIZE").hasMessageContaining("stride 16");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_ANCHORS_INIT", "kmeans")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_ANCHORS_INIT");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_EVAL_TOPIC", "train.batches")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_EVAL_TOPIC");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_BACKBONE", "16,x")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_BACKBONE");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_LR", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_LR=");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_WARMUP_STEPS", "500", "ABO_SCHEDULE_STEPS", "100")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_WARMUP_STEPS");
    }

    @Test
    void theTrainingConsumerIsAStaticMemberOfTheClassicProtocolWithAnInstanceId() {
        Map<String, Object> dynamic = TrainerConfig.from(env()).trainConsumerProperties();
        assertThat(dynamic).doesNotContainKey("group.instance.id");
        assertThat(dynamic).containsEntry("group.protocol", "classic").containsEntry("group.id", "abo-trainer")
                .containsEntry("max.poll.records", "4");

        TrainerConfig c = TrainerConfig.from(env("ABO_GROUP_INSTANCE_ID", "trainer-0", "KAFKA_SESSION_TIMEOUT_MS", "30000"));
        assertThat(c.groupInstanceId()).contains("trainer-0");
        assertThat(c.trainConsumerProperties()).containsEntry("group.instance.id", "trainer-0")
                .containsEntry("group.protocol", "classic").containsEntry("session.timeout.ms", "30000");
        // blank means unset (compose's `ABO_GROUP_INSTANCE_ID=`)
        assertThat(TrainerConfig.from(env("ABO_GROUP_INSTANCE_ID", " ")).groupInstanceId()).isEmpty();
    }

    @Test
    void instanceIdErrorsNameTheKey() {
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_GROUP_INSTANCE_ID", "trainer 0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_GROUP_INSTANCE_ID='trainer 0'");
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_GROUP_INSTANCE_ID", "x".repeat(250))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ABO_GROUP_INSTANCE_ID=");
        // the consumer protocol refuses a restarted static member while its crashed predecessor's session lasts
        assertThatThrownBy(() -> TrainerConfig.from(env("ABO_GROUP_INSTANCE_ID", "trainer-0", "KAFKA_GROUP_PROTOCOL", "consumer")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_GROUP_PROTOCOL='consumer'")
                .hasMessageContaining("UNRELEASED_INSTANCE_ID");
        assertThat(TrainerConfig.from(env("KAFKA_GROUP_PROTOCOL", "consumer")).trainConsumerProperties())
                .containsEntry("group.protocol", "consumer").doesNotContainKey("group.instance.id");
        // the passthrough would reach the held-out consumer too
        assertThatThrownBy(() -> TrainerConfig.from(env("KAFKA_GROUP_INSTANCE_ID", "trainer-0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_GROUP_INSTANCE_ID='trainer-0'")
                .hasMessageContaining("ABO_GROUP_INSTANCE_ID");
    }
}
