package dev.abo.platform.registry;

/**
 * The parts of the registry's HTTP protocol that the server and its clients must spell identically: multipart part
 * names and headers of {@code POST /v1/models/{model}/snapshots} and {@code GET .../checkpoint}.
 */
public final class RegistryWire {
    /** The JSON metadata part of a snapshot upload. */
    public static final String SNAPSHOT_PART = "snapshot";
    /** The checkpoint (binary) part of a snapshot upload. */
    public static final String CHECKPOINT_PART = "checkpoint";
    /** Retries carrying the same key and the same content answer 200 with the version created first. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    /** Sent with a checkpoint download; the client verifies the bytes it received against it. */
    public static final String CHECKPOINT_SHA256_HEADER = "X-Checkpoint-SHA256";

    /** The environment variable holding the bearer token for writes, read by the registry and by its writing clients. */
    public static final String TOKEN_ENV = "ABO_REGISTRY_TOKEN";

    private RegistryWire() {
    }
}
