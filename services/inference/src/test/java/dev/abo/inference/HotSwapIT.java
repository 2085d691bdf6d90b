package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.registry.RegistryConfig;
import dev.abo.registry.RegistryServer;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real registry (local-demo mode with a token) on the shared in-process broker: the server follows
 * the promoted pointer, hot-swaps v1 -> v2 under a continuous request loop without a single failed
 * request, and keeps v2 when the promoted v3 checkpoint cannot be loaded.
 */
class HotSwapIT {
    static final String MODEL = "cams";
    static final String TOKEN = "inference-it-token";

    @TempDir
    Path dir;

    static String snapshotJson(double anchorPx) {
        return "{\"anchors\":[{\"widthPx\":" + anchorPx + ",\"heightPx\":" + anchorPx + "}],\"inputWidthPx\":32,\"inputHeightPx\":32,"
                + "\"classNames\":[\"" + TestModels.CLASS + "\"],\"trainingStep\":1,\"sourceOffsets\":[],\"metrics\":{\"loss\":1.0}}";
    }

    static void publishAndPromote(RegistryClient registry, double anchorPx, Path checkpoint, long expectedVersion) {
        RegistryClient.Published p = registry.publish(MODEL, snapshotJson(anchorPx), checkpoint);
        assertThat(p.snapshot().version()).isEqualTo(expectedVersion);
        if (!p.promoted()) {
            registry.promote(MODEL, expectedVersion);
        }
    }

    @Test
    void followsThePromotedSnapshotWithoutAFailedRequest() throws Exception {
        String topic = "anchors.snapshots.inference-it-" + ProcessHandle.current().pid();
        String bootstrap = EmbeddedKafkaBroker.sharedForTests().bootstrapServers();
        RegistryConfig rc = TestModels.registryConfig(dir, bootstrap, topic, TOKEN);
        Files.createDirectories(dir.resolve("models"));
        try (RegistryServer registryServer = RegistryServer.start(rc)) {
            RegistryClient registry = RegistryClient.create(registryServer.baseUrl(), Optional.of(TOKEN));
            publishAndPromote(registry, 16, TestModels.checkpoint(dir, "v1", 16), 1);

            InferenceConfig config = TestServers.config(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "ABO_INFERENCE_MODEL", MODEL,
                    "ABO_INFERENCE_SNAPSHOT_TOPIC", topic, "ABO_REGISTRY_URL", registryServer.baseUrl(),
                    "ABO_INFERENCE_MODEL_DIR", dir.resolve("models").toString()));
            ModelHolder holder = new ModelHolder();
            InferenceMetrics metrics = TestServers.metrics();
            try (InferenceServer server = TestServers.start(config, holder, metrics);
                 SnapshotFollower follower = SnapshotFollower.start(config, registry, holder, metrics)) {
                ManagedChannel channel = TestServers.channel(server);
                try {
                    TestServers.await("v1 to be served", () -> metrics.modelVersion() == 1);
                    assertThat(TestServers.health(channel, DetectionServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
                    DetectResponse first = detect(channel);
                    assertThat(first.getModelName()).isEqualTo(MODEL);
                    assertThat(first.getModelVersion()).isEqualTo(1);
                    assertThat(first.getDetectionsList()).containsExactlyElementsOf(TestModels.expected64x48(16));

                    // a client loop in another thread while v2 is published and promoted
                    AtomicBoolean stop = new AtomicBoolean();
                    AtomicInteger failures = new AtomicInteger();
                    List<Long> versions = new ArrayList<>();
                    List<String> errors = new ArrayList<>();
                    Thread loop = new Thread(() -> {
                        while (!stop.get()) {
                            try {
                                long v = detect(channel).getModelVersion();
                                synchronized (versions) {
                                    versions.add(v);
                                }
                            } catch (StatusRuntimeException e) {
                                failures.incrementAndGet();
                                synchronized (errors) {
                                    errors.add(e.getStatus().toString());
                                }
                            }
                        }
                    }, "client-loop");
                    loop.start();
                    TestServers.await("the loop to be answered by v1", () -> seen(versions, 1));
                    publishAndPromote(registry, 8, TestModels.checkpoint(dir, "v2", 8), 2);
                    TestServers.await("the loop to be answered by v2", () -> seen(versions, 2));
                    stop.set(true);
                    loop.join(60_000);

                    assertThat(errors).isEmpty();
                    assertThat(failures.get()).isZero();
                    synchronized (versions) {
                        // one client, sequential calls: every answer after the swap comes from v2
                        int firstV2 = versions.indexOf(2L);
                        assertThat(versions.subList(0, firstV2)).containsOnly(1L);
                        assertThat(versions.subList(firstV2, versions.size())).containsOnly(2L);
                    }
                    DetectResponse second = detect(channel);
                    assertThat(second.getModelVersion()).isEqualTo(2);
                    assertThat(second.getDetectionsList()).containsExactlyElementsOf(TestModels.expected64x48(8));
                    assertThat(metrics.modelLoadFailures()).isZero();

                    // v3's checkpoint is not a checkpoint: promoted, but v2 keeps serving
                    Path bad = dir.resolve("v3.ckpt");
                    Files.writeString(bad, "not a DL4J checkpoint");
                    publishAndPromote(registry, 8, bad, 3);
                    TestServers.await("the failed load of v3 to be counted", () -> metrics.modelLoadFailures() == 1);
                    assertThat(holder.current().orElseThrow().version()).isEqualTo(2);
                    assertThat(metrics.modelVersion()).isEqualTo(2);
                    assertThat(detect(channel).getModelVersion()).isEqualTo(2);
                    assertThat(registry.promoted(MODEL).version()).isEqualTo(3);
                } finally {
                    TestServers.close(channel);
                }
            }
        }
    }

    static boolean seen(List<Long> versions, long v) {
        synchronized (versions) {
            return versions.contains(v);
        }
    }

    static DetectResponse detect(ManagedChannel channel) {
        return DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .detect(DetectRequest.newBuilder().setImage(ByteString.copyFrom(TestModels.image64x48())).build());
    }
}
