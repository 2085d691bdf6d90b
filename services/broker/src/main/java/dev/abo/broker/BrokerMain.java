package dev.abo.broker;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.abo.platform.topic.TopicAdmin;
import dev.abo.platform.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The one-machine Kafka: {@code BrokerMain [dataDir] [port] [controllerPort]} (defaults
 * {@value #DEFAULT_DATA_DIR} {@value #DEFAULT_PORT} {@value #DEFAULT_CONTROLLER_PORT}). Starts an
 * {@link EmbeddedKafkaBroker}, prints {@code KAFKA READY bootstrap=127.0.0.1:PORT} on standard output and
 * runs until the JVM is asked to stop (Ctrl-C, SIGTERM), then shuts the broker down cleanly. Before the
 * READY line it creates the project's topics ({@link Topics#all()}), so tools like kcat see them at once.
 *
 * <p>The CLI's {@code ./abo broker} calls {@link #run(Path, int, int)}.
 */
public final class BrokerMain {

    public static final String DEFAULT_DATA_DIR = "data/kafka";
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    private BrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length > 3 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: BrokerMain [dataDir] [port] [controllerPort]   (defaults "
                    + DEFAULT_DATA_DIR + " " + DEFAULT_PORT + " " + DEFAULT_CONTROLLER_PORT + ")");
            System.exit(2);
        }
        Path dataDir = Path.of(args.length > 0 ? args[0] : DEFAULT_DATA_DIR);
        int port = args.length > 1 ? parsePort("port", args[1]) : DEFAULT_PORT;
        int controllerPort = args.length > 2 ? parsePort("controllerPort", args[2]) : DEFAULT_CONTROLLER_PORT;
        run(dataDir, port, controllerPort);
    }

    /**
     * Starts the broker, prints the READY line, and blocks until the JVM shuts down or the calling thread
     * is interrupted; the broker is closed before this method returns (or before the JVM exits). Returns
     * normally on interruption, with the thread's interrupt flag set again.
     */
    public static void run(Path dataDir, int port, int controllerPort) {
        run(dataDir, port, controllerPort, System.out);
    }

    static void run(Path dataDir, int port, int controllerPort, PrintStream out) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        // SIGTERM/Ctrl-C: wake the blocked caller and wait until it has closed the broker
        Thread hook = new Thread(() -> {
            caller.interrupt();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abo-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, controllerPort)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicAdmin.ensure(admin, Topics.all());
            }
            out.println("KAFKA READY bootstrap=" + broker.bootstrapServers());
            out.flush();
            new CountDownLatch(1).await();   // until interrupted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook itself is running: nothing to remove
            }
        }
    }

    private static int parsePort(String name, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the argument's name
        }
        throw new IllegalArgumentException(name + " must be an integer in [0, 65535], was '" + text + "'");
    }
}
