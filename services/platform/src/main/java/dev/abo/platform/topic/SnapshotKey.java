package dev.abo.platform.topic;

/**
 * Key of a record on {@code anchors.snapshots}: {@code <model>/<version>} for an
 * {@link dev.abo.proto.anchors.v1.AnchorSnapshot} (version 1, 2, ... in decimal) and
 * {@code <model>/promoted} for the model's {@link dev.abo.proto.anchors.v1.PromotedPointer}. Model names
 * are non-empty and contain no {@code /}. Compaction keeps the newest record per key, so every version
 * survives and the pointer keeps only its latest value.
 */
public sealed interface SnapshotKey {

    String PROMOTED = "promoted";

    String model();

    /** The key as written to Kafka. */
    String toString();

    static Version version(String model, long version) {
        return new Version(model, version);
    }

    static Promoted promoted(String model) {
        return new Promoted(model);
    }

    /**
     * Parses a key read from the topic.
     *
     * @throws IllegalArgumentException naming the key if it is neither form
     */
    static SnapshotKey parse(String key) {
        int slash = key == null ? -1 : key.lastIndexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException("snapshot key '" + key + "' is not <model>/<version> or <model>/promoted");
        }
        String model = key.substring(0, slash);
        String tail = key.substring(slash + 1);
        if (tail.equals(PROMOTED)) {
            return new Promoted(model);
        }
        if (!tail.matches("[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("snapshot key '" + key + "' is not <model>/<version> or <model>/promoted");
        }
        try {
            return new Version(model, Long.parseLong(tail));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("snapshot key '" + key + "': version out of range", e);
        }
    }

    private static void checkModel(String model) {
        if (model == null || model.isEmpty() || model.indexOf('/') >= 0) {
            throw new IllegalArgumentException("model name '" + model + "' must be non-empty and contain no '/'");
        }
    }

    /** {@code <model>/<version>}: value is an AnchorSnapshot. */
    record Version(String model, long version) implements SnapshotKey {
        public Version {
            checkModel(model);
            if (version < 1) {
                throw new IllegalArgumentException("snapshot version of model " + model + " must be >= 1, was " + version);
            }
        }

        @Override
        public String toString() {
            return model + "/" + version;
        }
    }

    /** {@code <model>/promoted}: value is a PromotedPointer. */
    record Promoted(String model) implements SnapshotKey {
        public Promoted {
            checkModel(model);
        }

        @Override
        public String toString() {
            return model + "/" + PROMOTED;
        }
    }
}
