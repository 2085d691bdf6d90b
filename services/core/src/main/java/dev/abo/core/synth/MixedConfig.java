package dev.abo.core.synth;

/**
 * Settings of {@link MixedScenes}.
 *
 * @param width              image width in pixels (at least 60)
 * @param height             image height in pixels (at least 60)
 * @param minObjects         fewest objects drawn per image (before occlusion drops)
 * @param maxObjects         most objects drawn per image
 * @param minVisibleFraction an object stays a label only if at least this fraction of its pixels is
 *                           visible in the final image (0 keeps every object)
 * @param backdrop           a random noisy background, or a flat colour for exactness tests
 */
public record MixedConfig(int width, int height, int minObjects, int maxObjects, double minVisibleFraction,
                          Backdrop backdrop) {

    public MixedConfig {
        if (width < 60 || height < 60) {
            throw new IllegalArgumentException("image must be at least 60x60, got " + width + "x" + height);
        }
        if (minObjects < 0 || maxObjects < minObjects) {
            throw new IllegalArgumentException("need 0 <= minObjects <= maxObjects, got minObjects=" + minObjects
                    + ", maxObjects=" + maxObjects);
        }
        if (!(minVisibleFraction >= 0 && minVisibleFraction <= 1)) {
            throw new IllegalArgumentException("minVisibleFraction must be in [0, 1], got " + minVisibleFraction);
        }
        if (backdrop == null) {
            throw new IllegalArgumentException("backdrop is required");
        }
    }

    /** 320x240, 1-6 objects, labels need 40% visible, noisy background. */
    public static MixedConfig defaults() {
        return new MixedConfig(320, 240, 1, 6, 0.4, Backdrop.TEXTURED);
    }

    /** This config at another image size. */
    public MixedConfig withSize(int w, int h) {
        return new MixedConfig(w, h, minObjects, maxObjects, minVisibleFraction, backdrop);
    }

    /** This config with another object count range. */
    public MixedConfig withObjects(int min, int max) {
        return new MixedConfig(width, height, min, max, minVisibleFraction, backdrop);
    }

    /** This config with another visibility threshold. */
    public MixedConfig withMinVisibleFraction(double f) {
        return new MixedConfig(width, height, minObjects, maxObjects, f, backdrop);
    }

    /** This config with another backdrop. */
    public MixedConfig withBackdrop(Backdrop b) {
        return new MixedConfig(width, height, minObjects, maxObjects, minVisibleFraction, b);
    }
}
