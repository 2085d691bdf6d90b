package dev.abo.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.abo.platform.registry.RegistryClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orphan-blob sweep of a real registry on a real blob directory and topic: a checkpoint stored by a create
 * whose log write was refused is deleted once older than the grace period; referenced blobs (however old),
 * unreferenced blobs within the grace period and fresh uploads are kept; the metrics count exactly what went.
 * Files are aged by setting their modification time, the registry runs on the system clock.
 */
class OrphanBlobSweepIT {

    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Duration OLD = GRACE.multipliedBy(2);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path blobs;
    @TempDir
    Path work;

    @Test
    void atStartUpDeletesTheCheckpointOfAFailedWriteAndOldUploadsAndKeepsEverythingElse() throws Exception {
        String topic = TestRegistry.newTopic();
        byte[] orphaned = "stored, then the log write was refused".getBytes(UTF_8);
        try (RegistryServer first = TestRegistry.start(blobs, topic)) {
            RegistryClient c = TestRegistry.client(first);
            c.publish("swept", TestRegistry.snapshot(2, 10, 0.5).encode(), TestRegistry.checkpoint(work, "referenced one"));
            c.publish("swept", TestRegistry.snapshot(2, 20, 0.6).encode(), TestRegistry.checkpoint(work, "referenced two"));
            // the same bytes referenced by a second model: one blob, two references
            c.publish("other", TestRegistry.snapshot(1, 1, null).encode(), TestRegistry.checkpoint(work, "referenced one"));
            try (RegistryServer second = TestRegistry.start(blobs, topic)) {   // takes over the topic: the first is fenced
                HttpResponse<String> refused = TestRegistry.postSnapshot(first, "swept", Optional.of(TestRegistry.TOKEN),
                        TestRegistry.snapshot(2, 30, 0.7).encode(), orphaned, Optional.of("refused-create"));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("\"error\":\"log_unavailable\"");
                assertThat(TestRegistry.client(second).list("swept")).hasSize(2);
            }
        }
        // the refused create left its checkpoint behind, referenced by nothing
        Path orphan = blobFile(BlobStore.sha256(orphaned));
        assertThat(orphan).exists();
        Path referencedOne = blobFile(BlobStore.sha256("referenced one".getBytes(UTF_8)));
        Path referencedTwo = blobFile(BlobStore.sha256("referenced two".getBytes(UTF_8)));
        for (Path p : new Path[] {orphan, referencedOne, referencedTwo}) {
            age(p, OLD);
        }
        // an upload in progress in another instance: stored a moment ago, not committed yet
        Path fresh = new BlobStore(blobs).put(Files.writeString(blobs.resolve("uploads").resolve("other-instance"),
                "another registry is committing this"), BlobStore.sha256("another registry is committing this".getBytes(UTF_8)));
        Path crashedUpload = age(Files.writeString(blobs.resolve("uploads").resolve("crashed-upload"), "half a checkpoint"), OLD);
        Path arrivingUpload = Files.writeString(blobs.resolve("uploads").resolve("arriving-upload"), "still arriving");

        Map<String, String> settings = TestRegistry.settings(blobs, topic);
        settings.put(RegistryConfig.BLOB_GRACE_KEY, String.valueOf(GRACE.toMillis()));
        settings.put(RegistryConfig.BLOB_SWEEP_INTERVAL_KEY, "0");   // the start-up sweep only
        try (RegistryServer third = TestRegistry.start(settings)) {
            assertThat(orphan).doesNotExist();
            assertThat(crashedUpload).doesNotExist();
            assertThat(referencedOne).hasContent("referenced one");
            assertThat(referencedTwo).hasContent("referenced two");
            assertThat(fresh).hasContent("another registry is committing this");
            assertThat(arrivingUpload).hasContent("still arriving");

            String metrics = TestRegistry.get(third.baseUrl() + "/metrics").body();
            assertThat(metric(metrics, "abo_registry_blob_sweeps_total")).isEqualTo(1.0);
            assertThat(metric(metrics, "abo_registry_blobs_swept_total{kind=\"blob\"}")).isEqualTo(1.0);
            assertThat(metric(metrics, "abo_registry_blobs_swept_bytes_total{kind=\"blob\"}")).isEqualTo(orphaned.length);
            assertThat(metric(metrics, "abo_registry_blobs_swept_total{kind=\"upload\"}")).isEqualTo(1.0);
            assertThat(metric(metrics, "abo_registry_blobs_swept_bytes_total{kind=\"upload\"}"))
                    .isEqualTo("half a checkpoint".length());
            assertThat(metric(metrics, "abo_registry_blob_sweep_failures_total")).isZero();

            // every version still downloads, byte for byte
            RegistryClient c = TestRegistry.client(third);
            assertThat(c.download("swept", 1, work.resolve("v1"))).isEqualTo(BlobStore.sha256("referenced one".getBytes(UTF_8)));
            assertThat(c.download("swept", 2, work.resolve("v2"))).isEqualTo(BlobStore.sha256("referenced two".getBytes(UTF_8)));
            assertThat(c.download("other", 1, work.resolve("o1"))).isEqualTo(BlobStore.sha256("referenced one".getBytes(UTF_8)));
            // and the refused create, retried with its key, stores its checkpoint again
            HttpResponse<String> retried = TestRegistry.postSnapshot(third, "swept", Optional.of(TestRegistry.TOKEN),
                    TestRegistry.snapshot(2, 30, 0.7).encode(), orphaned, Optional.of("refused-create"));
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
            assertThat(orphan).hasBinaryContent(orphaned);
        }
    }

    @Test
    void aRunningRegistrySweepsPeriodicallyAndKeepsBlobsOfVersionsAnotherInstanceWrote() throws Exception {
        String topic = TestRegistry.newTopic();
        Map<String, String> settings = TestRegistry.settings(blobs, topic);
        settings.put(RegistryConfig.BLOB_GRACE_KEY, String.valueOf(GRACE.toMillis()));
        settings.put(RegistryConfig.BLOB_SWEEP_INTERVAL_KEY, "200");
        try (RegistryServer sweeping = TestRegistry.start(settings)) {
            TestRegistry.client(sweeping).publish("periodic", TestRegistry.snapshot(1, 1, 0.5).encode(),
                    TestRegistry.checkpoint(work, "written by the sweeping instance"));
            Path elsewhere;
            Map<String, String> other = TestRegistry.settings(blobs, topic);
            other.put(RegistryConfig.BLOB_SWEEP_INTERVAL_KEY, "0");
            try (RegistryServer second = TestRegistry.start(other)) {
                // a version the sweeping instance never saw: its in-memory state does not reference this blob
                TestRegistry.client(second).publish("periodic", TestRegistry.snapshot(1, 2, 0.6).encode(),
                        TestRegistry.checkpoint(work, "written by another instance"));
                elsewhere = blobFile(BlobStore.sha256("written by another instance".getBytes(UTF_8)));
            }
            // every sweep from here on started after that version was committed
            awaitSweeps(sweeping, sweeps(sweeping) + 2);

            Path own = age(blobFile(BlobStore.sha256("written by the sweeping instance".getBytes(UTF_8))), OLD);
            age(elsewhere, OLD);
            byte[] orphanBytes = "an orphan appearing while the registry runs".getBytes(UTF_8);
            Path orphan = age(new BlobStore(blobs).put(Files.write(blobs.resolve("uploads").resolve("o"), orphanBytes),
                    BlobStore.sha256(orphanBytes)), OLD);
            Path leftover = age(Files.writeString(blobs.resolve("uploads").resolve("leftover"), "left over"), OLD);

            long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
            while ((Files.exists(orphan) || Files.exists(leftover)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(orphan).doesNotExist();
            assertThat(leftover).doesNotExist();
            awaitSweeps(sweeping, sweeps(sweeping) + 1);   // and one full sweep more: still nothing else goes
            assertThat(own).hasContent("written by the sweeping instance");
            assertThat(elsewhere).hasContent("written by another instance");

            String metrics = TestRegistry.get(sweeping.baseUrl() + "/metrics").body();
            assertThat(metric(metrics, "abo_registry_blobs_swept_total{kind=\"blob\"}")).isEqualTo(1.0);
            assertThat(metric(metrics, "abo_registry_blobs_swept_bytes_total{kind=\"blob\"}")).isEqualTo(orphanBytes.length);
            assertThat(metric(metrics, "abo_registry_blobs_swept_total{kind=\"upload\"}")).isEqualTo(1.0);
            assertThat(metric(metrics, "abo_registry_blob_sweep_failures_total")).isZero();
        }
    }

    private Path blobFile(String sha256) {
        return blobs.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static Path age(Path file, Duration age) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private static double sweeps(RegistryServer server) throws Exception {
        return metric(TestRegistry.get(server.baseUrl() + "/metrics").body(), "abo_registry_blob_sweeps_total");
    }

    private static void awaitSweeps(RegistryServer server, double atLeast) throws Exception {
        long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
        while (sweeps(server) < atLeast) {
            assertThat(System.nanoTime()).as("%s sweeps within %s", atLeast, POLL_TIMEOUT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The value of one sample line of a Prometheus scrape, e.g. {@code name{kind="blob"} 1.0}. */
    private static double metric(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("sample %s in\n%s", sample, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
