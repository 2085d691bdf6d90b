package dev.abo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.registry.RegistryConfig;
import dev.abo.registry.RegistryMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abo registry}: run the anchor registry ({@code serve}) or talk to one (list, get, publish, promote,
 * rollback, download). Clients find it at {@code --url} or {@code ABO_REGISTRY_URL} and send
 * {@code ABO_REGISTRY_TOKEN} as the bearer token for writes.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "The anchor registry: serve it, or list/get/publish/promote/rollback/download snapshots.",
        subcommands = {RegistryCommand.Serve.class, RegistryCommand.ListCmd.class, RegistryCommand.Get.class,
            RegistryCommand.Publish.class, RegistryCommand.Promote.class, RegistryCommand.Rollback.class,
            RegistryCommand.Download.class})
final class RegistryCommand implements Runnable {

    static final String DEFAULT_URL = "http://127.0.0.1:8081";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the client subcommands. */
    abstract static class ClientCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--url", description = "registry base URL (default: $ABO_REGISTRY_URL or " + DEFAULT_URL + ")")
        String url;

        RegistryClient client() {
            String base = url != null ? url : Optional.ofNullable(System.getenv("ABO_REGISTRY_URL")).orElse(DEFAULT_URL);
            return RegistryClient.create(base, Optional.ofNullable(System.getenv(RegistryConfig.TOKEN_KEY)).filter(t -> !t.isBlank()));
        }

        @Override
        public Integer call() throws Exception {
            try {
                JsonOutput.print(spec.commandLine().getOut(), result(client()));
                return 0;
            } catch (RegistryClient.RegistryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);   // the registry refused: one line, exit 2
            }
        }

        abstract Object result(RegistryClient client) throws Exception;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the registry (settings from ABO_REGISTRY_* and KAFKA_* environment variables; options override).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", description = "ABO_REGISTRY_PORT") Integer port;
        @Option(names = "--blob-dir", description = "ABO_REGISTRY_BLOB_DIR") Path blobDir;
        @Option(names = "--bootstrap", description = "KAFKA_BOOTSTRAP_SERVERS") String bootstrap;
        @Option(names = "--local-demo", description = "allow no token (ABO_REGISTRY_LOCAL_DEMO=true)") boolean localDemo;

        @Override
        public Integer call() throws Exception {
            Map<String, String> overrides = new HashMap<>();
            if (port != null) {
                overrides.put("ABO_REGISTRY_PORT", String.valueOf(port));
            }
            if (blobDir != null) {
                overrides.put("ABO_REGISTRY_BLOB_DIR", blobDir.toString());
            }
            if (bootstrap != null) {
                overrides.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            }
            if (localDemo) {
                overrides.put(RegistryConfig.LOCAL_DEMO_KEY, "true");
            }
            RegistryConfig config;
            try {
                config = RegistryConfig.from(ConfigSource.fromEnv().with(overrides));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            RegistryMain.run(config);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Models, or the versions of MODEL (JSON).")
    static final class ListCmd extends ClientCommand {
        @Parameters(arity = "0..1", paramLabel = "MODEL") String model;

        @Override
        Object result(RegistryClient client) {
            return model == null ? client.models() : client.list(model);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One version of MODEL, in full (JSON).")
    static final class Get extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "VERSION") long version;

        @Override
        Object result(RegistryClient client) {
            return client.getJson(model, version);
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a snapshot: --snapshot JSON file (see /v1/openapi.yaml) and --checkpoint file; retried safely.")
    static final class Publish extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Option(names = "--snapshot", required = true) Path snapshot;
        @Option(names = "--checkpoint", required = true) Path checkpoint;
        @Option(names = "--idempotency-key", description = "default: a random UUID") String key;

        @Override
        Object result(RegistryClient client) throws Exception {
            String json = Files.readString(snapshot);
            return key == null ? client.publish(model, json, checkpoint) : client.publish(model, json, checkpoint, key);
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Promote VERSION of MODEL.")
    static final class Promote extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "VERSION") long version;

        @Override
        Object result(RegistryClient client) {
            return client.promote(model, version);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Promote an older version of MODEL: --to VERSION, or the newest one older than the promoted.")
    static final class Rollback extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Option(names = "--to") Long to;

        @Override
        Object result(RegistryClient client) {
            return client.rollback(model, Optional.ofNullable(to));
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, description = "Download a version's checkpoint (SHA-256 checked).")
    static final class Download extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "VERSION") long version;
        @Option(names = {"-o", "--output"}, required = true) Path output;

        @Override
        Object result(RegistryClient client) {
            return Map.of("path", output.toString(), "sha256", client.download(model, version, output));
        }
    }
}
