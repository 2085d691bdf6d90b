package dev.abo.trainer.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.registry.RegistryConfig;
import dev.abo.registry.RegistryServer;

/** Real anchor registries in this JVM (local-demo mode, with a token) on the shared test broker. */
public final class TestRegistries {

    public static final String TOKEN = "trainer-publish-test-token";

    private TestRegistries() {
    }

    /** A registry on {@code port} (0: any free one) with its own topic and blob directory. */
    public static RegistryServer start(Path blobDir, String topic, int port) {
        Map<String, String> m = new HashMap<>();
        m.put("KAFKA_BOOTSTRAP_SERVERS", EmbeddedKafkaBroker.sharedForTests().bootstrapServers());
        m.put("ABO_REGISTRY_BLOB_DIR", blobDir.toString());
        m.put("ABO_REGISTRY_TOPIC", topic);
        m.put("ABO_REGISTRY_PORT", String.valueOf(port));
        m.put("ABO_REGISTRY_TOKEN", TOKEN);
        m.put("ABO_REGISTRY_LOCAL_DEMO", "true");
        return RegistryServer.start(RegistryConfig.from(ConfigSource.of(m)));
    }

    public static RegistryClient client(String baseUrl) {
        return RegistryClient.create(baseUrl, Optional.of(TOKEN));
    }

    /** A port nothing listens on (now). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 120 s, not an assertion on time) until {@code condition} holds. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " after 120 s");
            }
            Thread.sleep(50);
        }
    }
}
