package dev.abo.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.abo.inference.InferenceConfig;
import dev.abo.inference.InferenceMain;
import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code abo serve}: the gRPC inference service (detection.v1). Settings come from the ABO_INFERENCE_*,
 * ABO_REGISTRY_URL, KAFKA_* and METRICS_* environment variables; options override them.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve detections over gRPC (detection.v1), following the registry's promoted snapshot of a model.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "gRPC port, ABO_INFERENCE_PORT (default 50051; 0 = any free port)") Integer port;
    @Option(names = "--bind", description = "ABO_INFERENCE_BIND_HOST (default 127.0.0.1)") String bind;
    @Option(names = "--model", description = "model name to follow, ABO_INFERENCE_MODEL (default 'default')") String model;
    @Option(names = "--registry", description = "registry base URL, ABO_REGISTRY_URL (absent: do not follow snapshots)") String registry;
    @Option(names = "--bootstrap", description = "KAFKA_BOOTSTRAP_SERVERS (needed with --registry)") String bootstrap;
    @Option(names = "--checkpoint", description = "a local checkpoint to serve at start, ABO_INFERENCE_CHECKPOINT") Path checkpoint;
    @Option(names = "--classes", description = "comma-separated class names of --checkpoint, ABO_INFERENCE_CLASS_NAMES") String classes;
    @Option(names = "--metrics-port", description = "METRICS_PORT (default 9400)") Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        Map<String, String> o = new HashMap<>();
        put(o, "ABO_INFERENCE_PORT", port);
        put(o, "ABO_INFERENCE_BIND_HOST", bind);
        put(o, "ABO_INFERENCE_MODEL", model);
        put(o, "ABO_REGISTRY_URL", registry);
        put(o, "KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        put(o, "ABO_INFERENCE_CHECKPOINT", checkpoint);
        put(o, "ABO_INFERENCE_CLASS_NAMES", classes);
        put(o, "METRICS_PORT", metricsPort);
        InferenceConfig config;
        try {
            config = InferenceConfig.from(ConfigSource.fromEnv().with(o));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (config.checkpoint().isEmpty() && config.registryUrl().isEmpty()) {
            throw new IllegalArgumentException("nothing to serve: give --checkpoint FILE and/or --registry URL (ABO_INFERENCE_CHECKPOINT / ABO_REGISTRY_URL)");
        }
        InferenceMain.run(config);
        return 0;
    }

    private static void put(Map<String, String> o, String key, Object value) {
        if (value != null) {
            o.put(key, value.toString());
        }
    }
}
