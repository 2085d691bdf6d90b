package dev.abo.registry;

import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;

/**
 * One accepted version as the registry keeps it: the record value, plus what travels in the record's
 * headers (the idempotency key of the create that made it, a fingerprint of that request, the histogram).
 *
 * @param requestFingerprint SHA-256 over the request's snapshot JSON and checkpoint hash; a retry with the
 *                           same idempotency key must carry the same fingerprint
 */
public record StoredSnapshot(AnchorSnapshot snapshot, Optional<String> idempotencyKey, String requestFingerprint,
                             Optional<ShapeHistogram> gtShapeHistogram) {

    public long version() {
        return snapshot.getVersion();
    }
}
