package dev.abo.registry;

import java.util.concurrent.CountDownLatch;

import dev.abo.platform.config.ConfigSource;

/**
 * Runs the registry with its settings from the environment (see {@link RegistryConfig}; Kafka through
 * {@code KAFKA_BOOTSTRAP_SERVERS} and the other {@code KAFKA_*} keys). Prints
 * {@code REGISTRY READY <url>} once the topic is replayed and the port is open; stops on SIGTERM.
 */
public final class RegistryMain {

    private RegistryMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        run(RegistryConfig.from(ConfigSource.fromEnv()));
    }

    /** Serves until the JVM is asked to stop. */
    public static void run(RegistryConfig config) throws InterruptedException {
        RegistryServer server = RegistryServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "abo-registry-shutdown"));
        if (config.token().isEmpty()) {
            System.err.println("abo registry: WARNING local demo mode, writes need no token (" + RegistryConfig.LOCAL_DEMO_KEY + "=true)");
        }
        System.out.println("REGISTRY READY " + server.baseUrl());
        System.out.flush();
        stopped.await();
    }
}
