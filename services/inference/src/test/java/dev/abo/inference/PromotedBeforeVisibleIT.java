package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.platform.topic.SnapshotKey;
import dev.abo.proto.anchors.v1.PromotedPointer;
import dev.abo.registry.RegistryConfig;
import dev.abo.registry.RegistryServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower reads the promoted pointer from the topic, and the registry it downloads from may not have applied
 * the same record yet (seen in the demo as a 404 for a just-promoted version, which then stayed unserved until the
 * next promotion). Here the pointer to v2 reaches the topic while the registry does not know v2 at all (written
 * straight to the topic; the registry reads its topic only at start-up); once v2 is created the follower serves it,
 * and no load failure is counted in between.
 */
class PromotedBeforeVisibleIT {
    static final String MODEL = "early";
    static final String TOKEN = "inference-it-token";

    @TempDir
    Path dir;

    static String snapshotJson(double anchorPx, String metrics) {
        return "{\"anchors\":[{\"widthPx\":" + anchorPx + ",\"heightPx\":" + anchorPx + "}],\"inputWidthPx\":32,\"inputHeightPx\":32,"
                + "\"classNames\":[\"" + TestModels.CLASS + "\"],\"trainingStep\":1,\"sourceOffsets\":[],\"metrics\":" + metrics + "}";
    }

    @Test
    void aPointerToAVersionTheRegistryDoesNotServeYetIsRetriedUntilItDoes() throws Exception {
        String topic = "anchors.snapshots.early-it-" + ProcessHandle.current().pid();
        String bootstrap = EmbeddedKafkaBroker.sharedForTests().bootstrapServers();
        RegistryConfig rc = TestModels.registryConfig(dir, bootstrap, topic, TOKEN);
        Files.createDirectories(dir.resolve("models"));
        try (RegistryServer registryServer = RegistryServer.start(rc)) {
            RegistryClient registry = RegistryClient.create(registryServer.baseUrl(), Optional.of(TOKEN));
            // v1 has an AP50, so a later version without one is held (not promoted by the registry itself)
            assertThat(registry.publish(MODEL, snapshotJson(16, "{\"loss\":1.0,\"ap50\":0.5}"),
                    TestModels.checkpoint(dir, "v1", 16)).promoted()).isTrue();

            InferenceConfig config = TestServers.config(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "ABO_INFERENCE_MODEL", MODEL,
                    "ABO_INFERENCE_SNAPSHOT_TOPIC", topic, "ABO_REGISTRY_URL", registryServer.baseUrl(),
                    "ABO_INFERENCE_MODEL_DIR", dir.resolve("models").toString()));
            ModelHolder holder = new ModelHolder();
            InferenceMetrics metrics = TestServers.metrics();
            try (SnapshotFollower follower = SnapshotFollower.start(config, registry, holder, metrics)) {
                TestServers.await("v1 to be served", () -> served(holder) == 1);

                writePointer(bootstrap, topic, 2);
                // the follower polls every <= 500 ms: after 2 s it has asked for v2 several times and got 404 each time
                Thread.sleep(2_000);
                assertThat(holder.current().orElseThrow().version()).isEqualTo(1);
                assertThat(metrics.modelLoadFailures()).isZero();

                RegistryClient.Published v2 = registry.publish(MODEL, snapshotJson(8, "{\"loss\":1.0}"), TestModels.checkpoint(dir, "v2", 8));
                assertThat(v2.snapshot().version()).isEqualTo(2);
                assertThat(v2.promoted()).isFalse();
                TestServers.await("v2 to be served", () -> served(holder) == 2);
                assertThat(holder.current().orElseThrow().version()).isEqualTo(2);
                assertThat(metrics.modelLoadFailures()).isZero();
            }
        }
    }

    static long served(ModelHolder holder) {
        return holder.current().map(LoadedModel::version).orElse(-1L);
    }

    static void writePointer(String bootstrap, String topic, long version) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            PromotedPointer pointer = PromotedPointer.newBuilder().setModelName(MODEL).setVersion(version)
                    .setPromotedUnixMs(System.currentTimeMillis()).setReason("manual").build();
            producer.send(new ProducerRecord<>(topic, new SnapshotKey.Promoted(MODEL).toString(),
                    pointer.toByteArray())).get();
        }
    }
}
