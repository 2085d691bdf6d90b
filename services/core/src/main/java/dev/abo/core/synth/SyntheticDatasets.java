package dev.abo.core.synth;

import java.util.List;

/** Maps the CLI's synthetic dataset names ({@code --dataset synthetic:heads}) to generators with defaults. */
public final class SyntheticDatasets {
    /** Every valid name, in the order the error message lists them. */
    public static final List<String> NAMES = List.of(HeadsScenes.NAME, MixedScenes.NAME);

    private SyntheticDatasets() {
    }

    /**
     * The generator called {@code name}, default configuration, seeded with {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
     */
    public static SceneGenerator parse(String name, long seed) {
        if (HeadsScenes.NAME.equals(name)) {
            return new HeadsScenes(seed);
        }
        if (MixedScenes.NAME.equals(name)) {
            return new MixedScenes(seed);
        }
        throw new IllegalArgumentException("unknown synthetic dataset '" + name + "'; valid names: "
                + String.join(", ", NAMES));
    }

    /** Whether {@code name} names a synthetic dataset at all (starts with {@code synthetic:}). */
    public static boolean isSynthetic(String name) {
        return name != null && name.startsWith("synthetic:");
    }
}
