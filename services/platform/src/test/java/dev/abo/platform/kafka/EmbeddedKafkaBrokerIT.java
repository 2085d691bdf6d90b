package dev.abo.platform.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void restartOnTheSameDirectoryKeepsTopicsRecordsAndClusterId() throws Exception {
        int port;
        int controllerPort;
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 0)) {
            port = broker.port();
            controllerPort = broker.controllerPort();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
                clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", 0, "cam-1", "hello-1")).get();
                producer.send(new ProducerRecord<>("kept", 1, "cam-2", "hello-2")).get();
                producer.send(new ProducerRecord<>("kept", 1, "cam-2", "hello-3")).get();
            }
        }
        assertThat(dir.resolve("logs/meta.properties")).exists();

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(dir, port, controllerPort)) {
            try (Admin admin = admin(again)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
            }
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(again.bootstrapServers(), "kept");
            assertThat(records).extracting(r -> r.partition() + "@" + r.offset() + " "
                            + new String(r.key(), UTF_8) + "=" + new String(r.value(), UTF_8))
                    .containsExactlyInAnyOrder("0@0 cam-1=hello-1", "1@0 cam-2=hello-2", "1@1 cam-2=hello-3");

            // the same data seen by a non-Java client (librdkafka), if installed
            assumeThat(kcatInstalled()).as("kcat is not installed (apt-get install -y kcat); skipping the kcat half").isTrue();
            assertThat(run("kcat", "-b", again.bootstrapServers(), "-L"))
                    .contains("topic \"kept\" with 2 partitions");
            assertThat(run("kcat", "-b", again.bootstrapServers(), "-C", "-t", "kept", "-p", "1", "-o", "beginning",
                    "-e", "-q", "-f", "%k=%s@%o\\n"))
                    .isEqualTo("cam-2=hello-2@0\ncam-2=hello-3@1\n");
        }
    }

    @Test
    void forTestsDeletesItsDirectoryOnClose() {
        Path data;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.forTests()) {
            data = broker.dataDir();
            assertThat(broker.startupTime()).isPositive();
            System.out.printf("broker start-up: shared (first in this JVM) %d ms, this one %d ms%n",
                    EmbeddedKafkaBroker.sharedForTests().startupTime().toMillis(), broker.startupTime().toMillis());
            assertThat(data.resolve("logs/meta.properties")).exists();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void brokerMainPrintsReadyAndStopsWhenInterrupted() throws Exception {
        PipedLines out = new PipedLines();
        PrintStream stream = out.stream();
        Thread main = new Thread(() -> {
            try {
                BrokerMain.run(dir, 0, 0, stream);
            } catch (RuntimeException e) {
                stream.println("FAILED " + e);   // unblocks awaitLine; the assertion below shows it
            }
        }, "broker-main-test");
        main.start();
        String ready = out.awaitLine();
        assertThat(ready).matches("KAFKA READY bootstrap=127\\.0\\.0\\.1:\\d+");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ready.substring(ready.indexOf('=') + 1)))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        main.interrupt();
        main.join();
        assertThat(main.isAlive()).isFalse();
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    static boolean kcatInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kcat"))) {
                return true;
            }
        }
        return false;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor()).as("exit code of %s, output:%n%s", String.join(" ", command), output).isZero();
        return output;
    }

    /** A PrintStream whose first line can be awaited by another thread. */
    static final class PipedLines {
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        PrintStream stream() {
            return new PrintStream(new java.io.OutputStream() {
                @Override
                public synchronized void write(int b) {
                    if (b == '\n') {
                        lines.add(current.toString(UTF_8));
                        current.reset();
                    } else {
                        current.write(b);
                    }
                }
            }, true, UTF_8);
        }

        String awaitLine() throws InterruptedException {
            return lines.take();
        }
    }
}
