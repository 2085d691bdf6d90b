package dev.abo.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker stopped and started again on the same directory, seen by the Java client and by kcat. */
class BrokerRestartIT {

    @TempDir
    static Path dir;

    static String clusterIdBefore;
    static EmbeddedKafkaBroker restarted;

    @BeforeAll
    static void writeStopAndRestart() throws Exception {
        int port;
        int controllerPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 0)) {
            port = broker.port();
            controllerPort = broker.controllerPort();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
                clusterIdBefore = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
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
        restarted = EmbeddedKafkaBroker.start(dir, port, controllerPort);
    }

    @AfterAll
    static void stop() {
        if (restarted != null) {
            restarted.close();
        }
    }

    @Test
    void keepsTopicAndClusterId() throws Exception {
        try (Admin admin = admin(restarted)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
            assertThat(admin.describeTopics(List.of("kept")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("kept").partitions()).hasSize(2);
            // not formatted again (trap K4): same cluster
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterIdBefore);
        }
    }

    @Test
    void javaConsumerReadsTheRecordsWrittenBeforeTheRestart() {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(restarted.bootstrapServers(), "kept");
        assertThat(records).extracting(r -> r.partition() + "@" + r.offset() + " "
                        + new String(r.key(), UTF_8) + "=" + new String(r.value(), UTF_8))
                .containsExactlyInAnyOrder("0@0 cam-1=hello-1", "1@0 cam-2=hello-2", "1@1 cam-2=hello-3");
    }

    @Test
    void kcatListsTheTopicAndReadsTheRecords() throws Exception {
        assumeThat(kcatInstalled()).as("kcat is not on the PATH (apt-get install -y kcat); skipping").isTrue();
        assertThat(run("kcat", "-b", restarted.bootstrapServers(), "-L"))
                .contains("topic \"kept\" with 2 partitions");
        assertThat(run("kcat", "-b", restarted.bootstrapServers(), "-C", "-t", "kept", "-p", "1", "-o", "beginning",
                "-e", "-q", "-f", "%k=%s@%o\\n"))
                .isEqualTo("cam-2=hello-2@0\ncam-2=hello-3@1\n");
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    static boolean kcatInstalled() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "kcat"))) {
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
}
