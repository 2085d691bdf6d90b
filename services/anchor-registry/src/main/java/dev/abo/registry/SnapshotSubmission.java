package dev.abo.registry;

import java.util.Optional;

import dev.abo.proto.anchors.v1.AnchorSnapshot;

/**
 * What a publisher sends: the snapshot's content without the fields the registry assigns (model name,
 * version, checkpoint size, creation time), the SHA-256 it declares for the checkpoint, and the optional
 * ground-truth shape histogram. Validated on construction by {@link SnapshotJson#parseSubmission}.
 */
public record SnapshotSubmission(AnchorSnapshot content, Optional<String> declaredSha256,
                                 Optional<ShapeHistogram> gtShapeHistogram) {
}
