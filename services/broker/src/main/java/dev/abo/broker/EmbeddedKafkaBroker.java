package dev.abo.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka in KRaft mode (one process is both broker and controller), running inside this JVM
 * on 127.0.0.1. Used by the tests of every module and as the one-machine default ({@code ./abo broker}).
 *
 * <p>The data directory keeps the metadata log and the topic logs, so a broker started again on the same
 * directory has the same topics and records. A directory is formatted only when it has never been
 * formatted (formatting again with a new cluster id makes the broker refuse to start).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 9092, 9093)) {
 *     String bootstrap = broker.bootstrapServers();   // "127.0.0.1:9092"
 * }
 * }</pre>
 *
 * Memory: the log cleaner's dedupe buffer is 2 MiB instead of 128 MiB, so the broker fits beside the
 * services in a small heap; records up to {@link #MESSAGE_MAX_BYTES} are accepted.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** Largest record batch the broker accepts by default: 16 MiB of payload plus 1 MiB for headers. */
    public static final int MESSAGE_MAX_BYTES = 17 * 1024 * 1024;

    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final boolean deleteDataDirOnClose;
    private final KafkaRaftServer server;
    private Duration startupTime = Duration.ZERO;
    private boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, boolean deleteDataDirOnClose,
                                KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.server = server;
    }

    /**
     * Starts a broker on {@code dataDir} (created if missing, formatted only if fresh) and returns when it
     * answers a describe-cluster request.
     *
     * @param port           client port on 127.0.0.1, or 0 for a free one
     * @param controllerPort KRaft controller port on 127.0.0.1, or 0 for a free one
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, false);
    }

    /**
     * The broker shared by all tests of one JVM: started on first use ({@link #forTests()}), closed and
     * deleted when the JVM exits. Test classes must not close it.
     */
    public static EmbeddedKafkaBroker sharedForTests() {
        return SharedHolder.BROKER;
    }

    private static final class SharedHolder {
        static final EmbeddedKafkaBroker BROKER = forTests();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(BROKER::close, "abo-shared-kafka-shutdown"));
        }
    }

    /** A broker on free ports and a fresh temporary directory, which {@link #close()} deletes. */
    public static EmbeddedKafkaBroker forTests() {
        try {
            return start(Files.createTempDirectory("abo-kafka-"), 0, 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka data directory", e);
        }
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort, boolean deleteOnClose) {
        long t0 = System.nanoTime();
        checkPort("port", port);
        checkPort("controllerPort", controllerPort);
        int[] free = freePorts(2);   // held open together, so the two are distinct
        int brokerPort = port == 0 ? free[0] : port;
        int ctrlPort = controllerPort == 0 ? free[1] : controllerPort;
        if (brokerPort == ctrlPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + brokerPort);
        }
        Path logs = dataDir.resolve("logs");
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(logs, brokerPort, ctrlPort), false);
        try {
            Files.createDirectories(logs);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                format(config, logs);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka data directory " + logs + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, brokerPort, ctrlPort, deleteOnClose, server);
        try {
            server.startup();
            broker.awaitReady();
            broker.startupTime = Duration.ofNanos(System.nanoTime() - t0);
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The broker configuration: a combined node with replication factor 1 everywhere. */
    static Properties serverProperties(Path logs, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        // 128 MiB of heap by default (trap K7)
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        return p;
    }

    private static void format(KafkaConfig config, Path logs) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logs.toString()))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "100"))) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not answer within "
                    + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker to start", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** From the start call until the broker answered: format (if fresh), start-up and the first describe-cluster. */
    public Duration startupTime() {
        return startupTime;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down and waits until it has stopped; deletes the directory of {@link #forTests()}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in [0, 65535], was " + port);
        }
    }

    private static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing was bound to it
                    }
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Kafka data directory " + dir, e);
        }
    }
}
