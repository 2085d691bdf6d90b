package dev.abo.registry;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.platform.registry.RegistryClient;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a create loses nothing acknowledged: the registry runs as a separate JVM, several clients
 * create snapshots continuously, the JVM is SIGKILLed while creates are in flight, and a new registry on
 * the same topic and blob directory must serve every acknowledged version unchanged; a retry of an
 * unacknowledged create with its idempotency key makes at most one version.
 */
class KillDuringCreateIT {

    private static final String MODEL = "killed";
    private static final int CLIENTS = 3;
    private static final int ACKS_BEFORE_KILL = 12;
    private static final int CHECKPOINT_BYTES = 4096;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern READY = Pattern.compile("REGISTRY READY (\\S+)");

    @TempDir
    Path blobs;
    @TempDir
    Path work;

    /** One create request: everything needed to resend it byte for byte. */
    record Create(String key, long step, String snapshotJson, byte[] checkpoint, String sha256) {
    }

    /** An acknowledged create: the request and what the registry answered. */
    record Acked(Create create, int status, long version, JsonNode anchors) {
    }

    @Test
    void killMinus9DuringCreatesLosesNothingAcknowledged() throws Exception {
        String bootstrap = EmbeddedKafkaBroker.sharedForTests().bootstrapServers();
        String topic = TestRegistry.newTopic();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        List<Acked> acked = new CopyOnWriteArrayList<>();
        List<Create> unacked = new CopyOnWriteArrayList<>();
        Map<String, Throwable> clientErrors = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong steps = new AtomicLong();
        CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);

        Process first = null;
        Process second = null;
        List<Thread> clients = new ArrayList<>();
        try {
            first = startRegistry(bootstrap, topic, work.resolve("first.log"));
            String base1 = awaitReady(first, work.resolve("first.log"));
            assertThat(get(http, base1 + "/health").statusCode()).isEqualTo(200);

            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    try {
                        for (int n = 0; ; n++) {
                            long step = steps.incrementAndGet();
                            Create create = newCreate("c" + client + "-" + n, step);
                            HttpResponse<String> r;
                            inFlight.incrementAndGet();
                            try {
                                r = post(http, base1, create);
                            } catch (IOException e) {
                                unacked.add(create);   // the registry died under (or before) this request
                                return;
                            } finally {
                                inFlight.decrementAndGet();
                            }
                            if (r.statusCode() != 201) {
                                throw new AssertionError("create " + create.key() + " answered " + r.statusCode() + ": " + r.body());
                            }
                            JsonNode body = JSON.readTree(r.body());
                            acked.add(new Acked(create, r.statusCode(), body.path("version").asLong(), body.path("anchors")));
                            enoughAcks.countDown();
                        }
                    } catch (Throwable e) {
                        clientErrors.put("client " + client, e);
                    }
                }, "kill9-client-" + c);
                t.setDaemon(true);
                clients.add(t);
                t.start();
            }

            assertThat(enoughAcks.await(120, TimeUnit.SECONDS)).as("%d creates acknowledged", ACKS_BEFORE_KILL).isTrue();
            // every client sends its next create as soon as the previous one is answered: wait (bounded) until
            // at least one is outstanding, then kill
            long spinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.get() == 0 && System.nanoTime() < spinDeadline) {
                Thread.onSpinWait();
            }
            int outstandingAtKill = inFlight.get();
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("registry process died").isTrue();
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(90));
                assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
            }
            assertThat(clientErrors).isEmpty();
            assertThat(outstandingAtKill).isPositive();
            // each client stops at its first unanswered create
            assertThat(unacked).hasSize(CLIENTS);
            assertThat(acked.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            assertThat(acked).allSatisfy(a -> assertThat(a.status()).isEqualTo(201));

            second = startRegistry(bootstrap, topic, work.resolve("second.log"));
            String base2 = awaitReady(second, work.resolve("second.log"));
            assertThat(get(http, base2 + "/health").statusCode()).isEqualTo(200);
            RegistryClient client = new RegistryClient(URI.create(base2), Optional.of(TestRegistry.TOKEN), HTTP_TIMEOUT,
                    new RegistryClient.Retry(1, Duration.ZERO, Duration.ZERO));

            List<RegistryClient.SnapshotInfo> listed = client.list(MODEL);
            // versions: strictly increasing from 1, no gaps, no duplicates (creates are serialized)
            List<Long> versions = listed.stream().map(RegistryClient.SnapshotInfo::version).toList();
            for (int i = 0; i < versions.size(); i++) {
                assertThat(versions.get(i)).isEqualTo(i + 1L);
            }
            Set<Long> stepsListed = new HashSet<>();
            for (RegistryClient.SnapshotInfo s : listed) {
                assertThat(stepsListed.add(s.trainingStep())).as("step %d listed once", s.trainingStep()).isTrue();
            }
            // every acknowledged create is there, unchanged, and its checkpoint downloads with its SHA-256
            Set<Long> ackedVersions = new HashSet<>();
            for (Acked a : acked) {
                assertThat(ackedVersions.add(a.version())).as("acknowledged version %d once", a.version()).isTrue();
                RegistryClient.SnapshotInfo s = listed.stream().filter(x -> x.version() == a.version()).findFirst()
                        .orElseThrow(() -> new AssertionError("acknowledged version " + a.version() + " is missing after kill -9"));
                assertThat(s.trainingStep()).isEqualTo(a.create().step());
                assertThat(s.checkpointSha256()).isEqualTo(a.create().sha256());
                assertThat(s.checkpointSizeBytes()).isEqualTo(CHECKPOINT_BYTES);
                JsonNode full = client.getJson(MODEL, a.version());
                assertThat(full.path("anchors")).isEqualTo(a.anchors());
                assertThat(full.path("anchors")).isEqualTo(JSON.readTree(a.create().snapshotJson()).path("anchors"));
                Path down = work.resolve("v" + a.version() + ".ckpt");
                assertThat(client.download(MODEL, a.version(), down)).isEqualTo(a.create().sha256());
                assertThat(Files.readAllBytes(down)).isEqualTo(a.create().checkpoint());
            }
            // listed versions beyond the acknowledged ones can only be unacknowledged creates that committed
            Set<Long> unackedSteps = new HashSet<>();
            unacked.forEach(u -> unackedSteps.add(u.step()));
            int committedButUnacked = 0;
            for (RegistryClient.SnapshotInfo s : listed) {
                if (!ackedVersions.contains(s.version())) {
                    assertThat(unackedSteps).as("version %d (step %d) comes from an unacknowledged create", s.version(), s.trainingStep())
                            .contains(s.trainingStep());
                    committedButUnacked++;
                }
            }

            // retrying each unacknowledged create with its key yields exactly one version of it
            for (Create u : unacked) {
                Optional<Long> before = listed.stream().filter(s -> s.trainingStep() == u.step())
                        .map(RegistryClient.SnapshotInfo::version).findFirst();
                HttpResponse<String> r = post(http, base2, u);
                long version = JSON.readTree(r.body()).path("version").asLong();
                if (before.isPresent()) {
                    assertThat(r.statusCode()).as("replay of %s", u.key()).isEqualTo(200);
                    assertThat(version).isEqualTo(before.get());
                } else {
                    assertThat(r.statusCode()).as("create of %s", u.key()).isEqualTo(201);
                }
                HttpResponse<String> again = post(http, base2, u);
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(again.body()).path("version").asLong()).isEqualTo(version);
            }
            List<RegistryClient.SnapshotInfo> after = client.list(MODEL);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i).version()).isEqualTo(i + 1L);
            }
            for (Create u : unacked) {
                assertThat(after.stream().filter(s -> s.trainingStep() == u.step()).count())
                        .as("versions of unacknowledged create %s", u.key()).isEqualTo(1L);
            }
            assertThat(after).hasSize(acked.size() + CLIENTS);
            System.out.printf("KillDuringCreateIT: %d acknowledged, %d in flight at kill (%d outstanding), %d of them committed unanswered%n",
                    acked.size(), unacked.size(), outstandingAtKill, committedButUnacked);
        } finally {
            for (Process p : new Process[]{first, second}) {
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private Create newCreate(String key, long step) {
        byte[] ckpt = new byte[CHECKPOINT_BYTES];
        new Random(step).nextBytes(ckpt);
        String snapshot = TestRegistry.snapshot(2, step, 0.5).encode();
        return new Create(key, step, snapshot, ckpt, sha256(ckpt));
    }

    private Process startRegistry(String bootstrap, String topic, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RegistryMain.class.getName());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("ABO_"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("ABO_REGISTRY_BLOB_DIR", blobs.toString());
        env.put("ABO_REGISTRY_TOPIC", topic);
        env.put("ABO_REGISTRY_PORT", "0");
        env.put("ABO_REGISTRY_TOKEN", TestRegistry.TOKEN);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    /** Waits (bounded) for the {@code REGISTRY READY <url>} line and returns the url. */
    private static String awaitReady(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = READY.matcher(out);
            if (m.find()) {
                return m.group(1);
            }
            if (!p.isAlive()) {
                throw new AssertionError("registry exited with " + p.exitValue() + " before serving:\n" + out);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("registry not ready within 120 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(HttpClient http, String base, Create c) throws IOException, InterruptedException {
        String boundary = "kill9-" + c.key();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + RegistryApi.SNAPSHOT_PART + "\"\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n\r\n" + c.snapshotJson() + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + RegistryApi.CHECKPOINT_PART
                + "\"; filename=\"c.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/v1/models/" + MODEL + "/snapshots")).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + TestRegistry.TOKEN)
                .header(RegistryApi.IDEMPOTENCY_KEY_HEADER, c.key())
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(c.checkpoint()), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
