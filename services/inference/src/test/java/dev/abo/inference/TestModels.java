package dev.abo.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.proto.detection.v1.Detection;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A hand-built detector whose output is known without running it: input 32 px, five 4-channel blocks
 * (stride 16, a 2x2 grid), one anchor, one class, and EVERY parameter zero except the log-anchor. Each
 * conv then outputs 0, BN (gamma 0) outputs 0, so per cell tx = ty = tw = th = to = 0: the box centre is
 * (col + sigma(0)) * 16 = 8 or 24 px, its size the anchor exactly (exp(0) = 1), the score sigma(0) x 1 = 0.5.
 */
final class TestModels {
    static final int INPUT = 32;
    static final String CLASS = "thing";

    private TestModels() {
    }

    /** A registry on a free port storing blobs under {@code dir/blobs}, its log on {@code topic}, writes with {@code token}. */
    static dev.abo.registry.RegistryConfig registryConfig(Path dir, String bootstrap, String topic, String token) {
        return dev.abo.registry.RegistryConfig.from(dev.abo.platform.config.ConfigSource.of(java.util.Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "ABO_REGISTRY_BLOB_DIR", dir.resolve("blobs").toString(),
                "ABO_REGISTRY_TOPIC", topic, "ABO_REGISTRY_PORT", "0", "ABO_REGISTRY_TOKEN", token, "ABO_REGISTRY_LOCAL_DEMO", "true")));
    }

    static DetectorConfig config() {
        return DetectorConfig.defaults(INPUT, 1).withBackbone(List.of(4, 4, 4, 4, 4)).withAnchors(1, DetectorConfig.AnchorMode.FIXED);
    }

    /** Writes the zero network with one square anchor of {@code anchorPx} input pixels. */
    static Path checkpoint(Path dir, String name, double anchorPx) throws IOException {
        DetectorConfig config = config();
        AnchorSet anchors = AnchorSet.of(List.of(new Shape(anchorPx, anchorPx)), INPUT);
        ComputationGraph net = DetectorGraph.build(config, anchors);
        net.params().assign(0);
        DetectorGraph.setAnchors(net, config, anchors);
        Path file = dir.resolve(name + ".ckpt");
        Checkpoint.write(file, net, config, 0, false);
        return file;
    }

    static LoadedModel load(Path dir, String model, long version, double anchorPx) throws IOException {
        return LoadedModel.load(checkpoint(dir, model + "-" + version, anchorPx), model, version, List.of(CLASS));
    }

    /** A 64 x 48 PNG: the stretch to 32 x 32 scales x by 1/2 and y by 1/1.5. */
    static byte[] image64x48() {
        return ImageCodec.encode(RgbImage.blank(64, 48), ImageCodec.Format.PNG, 0.9f);
    }

    /**
     * The detections of the 64 x 48 image for an anchor of {@code a} px: cell centres (8|24, 8|24) in input
     * pixels, corners centre -+ a/2, mapped to the original by x * 2, y * 1.5; cells in row-major order (NMS
     * keeps ties in candidate order; the boxes do not overlap for a <= 16).
     */
    static List<Detection> expected64x48(double a) {
        double[][] centres = {{8, 8}, {24, 8}, {8, 24}, {24, 24}};
        return java.util.Arrays.stream(centres).map(c -> Detection.newBuilder()
                .setX1Px((float) ((c[0] - a / 2) * 2)).setY1Px((float) ((c[1] - a / 2) * 1.5))
                .setX2Px((float) ((c[0] + a / 2) * 2)).setY2Px((float) ((c[1] + a / 2) * 1.5))
                .setScore(0.5f).setClassId(0).setClassName(CLASS).build()).toList();
    }
}
