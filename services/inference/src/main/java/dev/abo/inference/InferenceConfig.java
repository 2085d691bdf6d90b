package dev.abo.inference;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.Topics;

/**
 * Settings of the inference service, read from the environment ({@link #from(ConfigSource)}).
 *
 * @param bindHost              {@code ABO_INFERENCE_BIND_HOST}, default {@code 127.0.0.1} ({@code 0.0.0.0} in a container)
 * @param port                  {@code ABO_INFERENCE_PORT}, default 50051; 0 picks a free port
 * @param maxInboundBytes       {@code ABO_INFERENCE_MAX_INBOUND_BYTES}: largest request message, default 16 MiB
 * @param maxInFlight           {@code ABO_INFERENCE_MAX_IN_FLIGHT}: requests admitted at once (queued or running);
 *                              more are refused with RESOURCE_EXHAUSTED. Default 32
 * @param workers               {@code ABO_INFERENCE_WORKERS}: threads running the network, each with its own
 *                              clone. Default 2
 * @param defaultScoreThreshold {@code ABO_INFERENCE_DEFAULT_SCORE_THRESHOLD} in [0, 1], default 0.25
 * @param defaultMaxDetections  {@code ABO_INFERENCE_DEFAULT_MAX_DETECTIONS} in [1, 1000], default 300
 * @param shutdownGrace         {@code ABO_INFERENCE_SHUTDOWN_GRACE_MS}: how long running calls may finish, default 10 s
 * @param model                 {@code ABO_INFERENCE_MODEL}: the model name whose promoted snapshot is served, default {@code default}
 * @param registryUrl           {@code ABO_REGISTRY_URL}: where checkpoints are downloaded; empty = do not follow snapshots
 * @param snapshotTopic         {@code ABO_INFERENCE_SNAPSHOT_TOPIC}, default {@code anchors.snapshots}
 * @param modelDir              {@code ABO_INFERENCE_MODEL_DIR}: downloaded checkpoints, default {@code data/inference-models}
 * @param checkpoint            {@code ABO_INFERENCE_CHECKPOINT}: a local checkpoint served at start (version
 *                              {@code ABO_INFERENCE_CHECKPOINT_VERSION}, default 0) before or instead of the registry's
 * @param checkpointVersion     see {@code checkpoint}
 * @param classNames            {@code ABO_INFERENCE_CLASS_NAMES}: comma-separated names for the local checkpoint
 * @param source                the whole source, for {@code KAFKA_*} client settings
 */
public record InferenceConfig(String bindHost, int port, int maxInboundBytes, int maxInFlight, int workers,
                              double defaultScoreThreshold, int defaultMaxDetections, Duration shutdownGrace, String model,
                              Optional<String> registryUrl, String snapshotTopic, Path modelDir, Optional<Path> checkpoint,
                              long checkpointVersion, List<String> classNames, ConfigSource source) {

    public InferenceConfig {
        classNames = List.copyOf(classNames);
    }

    public static InferenceConfig from(ConfigSource c) {
        return new InferenceConfig(
                c.string("ABO_INFERENCE_BIND_HOST", "127.0.0.1"),
                c.port("ABO_INFERENCE_PORT", 50051),
                c.intInRange("ABO_INFERENCE_MAX_INBOUND_BYTES", 16 << 20, 1024, Integer.MAX_VALUE),
                c.intInRange("ABO_INFERENCE_MAX_IN_FLIGHT", 32, 1, 100_000),
                c.intInRange("ABO_INFERENCE_WORKERS", 2, 1, 256),
                c.doubleInRange("ABO_INFERENCE_DEFAULT_SCORE_THRESHOLD", 0.25, 0.0, 1.0),
                c.intInRange("ABO_INFERENCE_DEFAULT_MAX_DETECTIONS", 300, 1, LoadedModel.MAX_DETECTIONS),
                c.durationMs("ABO_INFERENCE_SHUTDOWN_GRACE_MS", Duration.ofSeconds(10)),
                c.string("ABO_INFERENCE_MODEL", "default"),
                c.optionalString("ABO_REGISTRY_URL"),
                c.string("ABO_INFERENCE_SNAPSHOT_TOPIC", Topics.ANCHOR_SNAPSHOTS.name()),
                c.path("ABO_INFERENCE_MODEL_DIR", Path.of("data", "inference-models")),
                c.optionalString("ABO_INFERENCE_CHECKPOINT").map(Path::of),
                c.longInRange("ABO_INFERENCE_CHECKPOINT_VERSION", 0, 0, Long.MAX_VALUE),
                c.optionalString("ABO_INFERENCE_CLASS_NAMES").map(s -> Arrays.stream(s.split(",")).map(String::trim)
                        .filter(n -> !n.isEmpty()).toList()).orElse(List.of()),
                c);
    }
}
