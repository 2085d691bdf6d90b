package dev.abo.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.topic.Topics;

/**
 * Settings of the anchor registry, read from the environment ({@link #from(ConfigSource)}).
 *
 * @param bindHost           {@code ABO_REGISTRY_BIND_HOST}, default {@code 127.0.0.1} ({@code 0.0.0.0} in a container)
 * @param port               {@code ABO_REGISTRY_PORT}, default 8081; 0 picks a free port
 * @param blobDir            {@code ABO_REGISTRY_BLOB_DIR}: checkpoints by SHA-256, default {@code data/registry-blobs}
 * @param blobGrace          {@code ABO_REGISTRY_BLOB_GRACE_MS}: how old (by modification time) a blob no snapshot
 *                           references, or a file in the uploads directory, must be before the sweep deletes it
 *                           ({@link OrphanBlobSweeper}); default 1 h, at least 1 min. It must exceed the time from
 *                           the end of an upload to its commit in any registry sharing the directory
 * @param blobSweepInterval  {@code ABO_REGISTRY_BLOB_SWEEP_INTERVAL_MS}: time between sweeps after the one at
 *                           start-up, default 1 h; 0 sweeps at start-up only
 * @param token              {@code ABO_REGISTRY_TOKEN}: the bearer token writes must carry; empty only in local demo mode
 * @param localDemo          {@code ABO_REGISTRY_LOCAL_DEMO}: allow starting without a token (writes are then open)
 * @param promoteTolerance   {@code ABO_PROMOTE_TOLERANCE}: a new snapshot is auto-promoted if its AP50 is at
 *                           least the promoted one's minus this, default 0.01
 * @param maxCheckpointBytes {@code ABO_REGISTRY_MAX_CHECKPOINT_BYTES}, default 512 MiB
 * @param maxMetadataBytes   {@code ABO_REGISTRY_MAX_METADATA_BYTES}: the snapshot JSON part, default 256 KiB
 * @param topic              {@code ABO_REGISTRY_TOPIC}: the durable log, default {@code anchors.snapshots}
 * @param transactionalId    {@code ABO_REGISTRY_TRANSACTIONAL_ID}: the registry's writer identity on the topic; a
 *                           second registry with the same id fences the first. Default {@code abo-anchor-registry.<topic>}
 * @param kafkaTimeout       {@code ABO_REGISTRY_KAFKA_TIMEOUT_MS}: deadline of each write and of the start-up replay
 * @param source             the whole source, for the {@code KAFKA_*} client settings
 */
public record RegistryConfig(String bindHost, int port, Path blobDir, Duration blobGrace, Duration blobSweepInterval,
                             Optional<String> token, boolean localDemo,
                             double promoteTolerance, long maxCheckpointBytes, int maxMetadataBytes, String topic,
                             String transactionalId, Duration kafkaTimeout, ConfigSource source) {

    public static final String TOKEN_KEY = dev.abo.platform.registry.RegistryWire.TOKEN_ENV;
    public static final String LOCAL_DEMO_KEY = "ABO_REGISTRY_LOCAL_DEMO";
    public static final String BLOB_GRACE_KEY = "ABO_REGISTRY_BLOB_GRACE_MS";
    public static final String BLOB_SWEEP_INTERVAL_KEY = "ABO_REGISTRY_BLOB_SWEEP_INTERVAL_MS";
    /** The shortest grace period accepted: uploads and commits in flight must never look abandoned. */
    public static final Duration MIN_BLOB_GRACE = Duration.ofMinutes(1);

    public RegistryConfig {
        if (token.isEmpty() && !localDemo) {
            throw new ConfigException(TOKEN_KEY, null,
                    "a bearer token for writes (required unless " + LOCAL_DEMO_KEY + "=true)");
        }
    }

    public static RegistryConfig from(ConfigSource c) {
        String topic = c.string("ABO_REGISTRY_TOPIC", Topics.ANCHOR_SNAPSHOTS.name());
        return new RegistryConfig(
                c.string("ABO_REGISTRY_BIND_HOST", "127.0.0.1"),
                c.port("ABO_REGISTRY_PORT", 8081),
                c.path("ABO_REGISTRY_BLOB_DIR", Path.of("data", "registry-blobs")),
                Duration.ofMillis(c.longInRange(BLOB_GRACE_KEY, Duration.ofHours(1).toMillis(), MIN_BLOB_GRACE.toMillis(), Long.MAX_VALUE)),
                c.durationMs(BLOB_SWEEP_INTERVAL_KEY, Duration.ofHours(1)),
                c.optionalString(TOKEN_KEY),
                c.bool(LOCAL_DEMO_KEY, false),
                c.doubleInRange("ABO_PROMOTE_TOLERANCE", 0.01, 0.0, 1.0),
                c.longInRange("ABO_REGISTRY_MAX_CHECKPOINT_BYTES", 512L << 20, 1, Long.MAX_VALUE / 2),
                c.intInRange("ABO_REGISTRY_MAX_METADATA_BYTES", 256 << 10, 1024, 64 << 20),
                topic,
                c.string("ABO_REGISTRY_TRANSACTIONAL_ID", "abo-anchor-registry." + topic),
                c.durationMs("ABO_REGISTRY_KAFKA_TIMEOUT_MS", Duration.ofSeconds(30)),
                c);
    }
}
