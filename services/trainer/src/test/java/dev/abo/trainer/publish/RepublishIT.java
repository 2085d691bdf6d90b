package dev.abo.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.registry.RegistryServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash after the registry made the version but before the publisher forgot the publication: the next start
 * publishes it again, with the same idempotency key, and the registry makes no second version.
 */
class RepublishIT {

    @TempDir
    Path tmp;

    private static final String SNAPSHOT = """
            {"anchors":[{"widthPx":8.5,"heightPx":12.25},{"widthPx":20.0,"heightPx":10.0}],
             "inputWidthPx":32,"inputHeightPx":32,"classNames":["a","b"],"trainingStep":40,
             "sourceOffsets":[{"topic":"t.train","partition":0,"nextOffset":40}],"metrics":{"loss":2.5}}""";

    @Test
    void aRepublishedPendingSnapshotKeepsItsKeyAndMakesNoSecondVersion() throws Exception {
        Path checkpointDir = Files.createDirectories(tmp.resolve("ckpt"));
        Path checkpoint = Files.write(checkpointDir.resolve("trainer-checkpoint.zip"), "model bytes of step 40".getBytes());
        try (RegistryServer server = TestRegistries.start(tmp.resolve("blobs"), "anchors.snapshots.republish-" + ProcessHandle.current().pid(), 0)) {
            PublishConfig config = PublishConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_URL", server.baseUrl(),
                    "ABO_REGISTRY_TOKEN", TestRegistries.TOKEN, "ABO_MODEL_NAME", "republish")));
            Path pendingDir = checkpointDir.resolve(SnapshotPublisher.PENDING_DIR);

            SnapshotPublisher.Pending.write(pendingDir, "republish", 40, checkpoint, SNAPSHOT, Optional.empty());
            SnapshotPublisher first = new SnapshotPublisher(config, checkpointDir, new SimpleMeterRegistry());
            TestRegistries.await(() -> first.pendingCount() == 0, "the first publication");
            first.close();
            SnapshotPublisher.Outcome a = first.lastOutcome().orElseThrow();
            assertThat(a.created()).isTrue();
            assertThat(first.createdCount()).isEqualTo(1);
            try (var files = Files.list(pendingDir)) {
                assertThat(files.toList()).as("a published snapshot is forgotten").isEmpty();
            }

            // the crash: the same publication is still on disk at the next start
            SnapshotPublisher.Pending.write(pendingDir, "republish", 40, checkpoint, SNAPSHOT, Optional.empty());
            SnapshotPublisher second = new SnapshotPublisher(config, checkpointDir, new SimpleMeterRegistry());
            TestRegistries.await(() -> second.pendingCount() == 0, "the second publication");
            second.close();
            SnapshotPublisher.Outcome b = second.lastOutcome().orElseThrow();

            assertThat(b.idempotencyKey()).isEqualTo(a.idempotencyKey())
                    .isEqualTo(SnapshotPublisher.idempotencyKey("republish", 40, a.checkpointSha256()));
            assertThat(b.created()).isFalse();
            assertThat(b.version()).isEqualTo(a.version());
            assertThat(second.createdCount()).isZero();
            assertThat(second.existingCount()).isEqualTo(1);
            RegistryClient client = TestRegistries.client(server.baseUrl());
            List<RegistryClient.SnapshotInfo> versions = client.list("republish");
            assertThat(versions).hasSize(1);
            assertThat(versions.get(0).trainingStep()).isEqualTo(40);
            assertThat(versions.get(0).checkpointSha256()).isEqualTo(SnapshotPublisher.sha256(checkpoint));
            assertThat(versions.get(0).anchors()).containsExactly(new RegistryClient.AnchorWh(8.5, 12.25),
                    new RegistryClient.AnchorWh(20.0, 10.0));
        }
    }

    @Test
    void theKeyDependsOnModelStepAndCheckpoint() {
        String k = SnapshotPublisher.idempotencyKey("m", 7, "ab".repeat(32));
        assertThat(k).isEqualTo(SnapshotPublisher.idempotencyKey("m", 7, "ab".repeat(32))).hasSizeLessThanOrEqualTo(128);
        assertThat(List.of(SnapshotPublisher.idempotencyKey("n", 7, "ab".repeat(32)),
                SnapshotPublisher.idempotencyKey("m", 8, "ab".repeat(32)),
                SnapshotPublisher.idempotencyKey("m", 7, "cd".repeat(32)))).doesNotContain(k).doesNotHaveDuplicates();
        assertThat(Optional.of(k)).hasValueSatisfying(v -> assertThat(v).matches("[\\x21-\\x7e]+"));
    }
}
