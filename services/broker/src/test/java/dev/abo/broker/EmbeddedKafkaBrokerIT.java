package dev.abo.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.abo.platform.topic.TopicSpec;
import dev.abo.platform.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dir;

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
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(Topics.all().stream().map(TopicSpec::name).toList());
        }
        main.interrupt();
        main.join();
        assertThat(main.isAlive()).isFalse();
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
