package dev.abo.core.synth;

/**
 * Settings of {@link HeadsScenes}.
 *
 * @param width              image width in pixels
 * @param height             image height in pixels
 * @param minHeads           fewest heads drawn per image (before occlusion drops)
 * @param maxHeads           most heads drawn per image
 * @param minBoxPx           smallest head box side in pixels (continuous head diameters are drawn in
 *                           {@code [minBoxPx + 1, maxBoxPx - 1]}, so the pixel boxes stay in range)
 * @param maxBoxPx           largest head box side in pixels
 * @param minVisibleFraction a head stays a label only if at least this fraction of its pixels is
 *                           visible in the final image (0 keeps every head)
 * @param backdrop           the cafe scenery, or a flat colour for exactness tests
 */
public record HeadsConfig(int width, int height, int minHeads, int maxHeads, int minBoxPx, int maxBoxPx,
                          double minVisibleFraction, Backdrop backdrop) {

    public HeadsConfig {
        if (minBoxPx < 4 || maxBoxPx < minBoxPx + 2) {
            throw new IllegalArgumentException("need 4 <= minBoxPx and minBoxPx + 2 <= maxBoxPx, got minBoxPx="
                    + minBoxPx + ", maxBoxPx=" + maxBoxPx);
        }
        if (width < 2 * maxBoxPx || height < 2 * maxBoxPx) {
            throw new IllegalArgumentException("width and height must be >= 2 * maxBoxPx = " + 2 * maxBoxPx
                    + ", got " + width + "x" + height);
        }
        if (minHeads < 0 || maxHeads < minHeads) {
            throw new IllegalArgumentException("need 0 <= minHeads <= maxHeads, got minHeads=" + minHeads
                    + ", maxHeads=" + maxHeads);
        }
        if (!(minVisibleFraction >= 0 && minVisibleFraction <= 1)) {
            throw new IllegalArgumentException("minVisibleFraction must be in [0, 1], got " + minVisibleFraction);
        }
        if (backdrop == null) {
            throw new IllegalArgumentException("backdrop is required");
        }
    }

    /** Brainwash-like at camera scale: 320x240, 5-25 heads of 10-40 px, labels need 40% visible. */
    public static HeadsConfig defaults() {
        return new HeadsConfig(320, 240, 5, 25, 10, 40, 0.4, Backdrop.TEXTURED);
    }

    /** This config at another image size. */
    public HeadsConfig withSize(int w, int h) {
        return new HeadsConfig(w, h, minHeads, maxHeads, minBoxPx, maxBoxPx, minVisibleFraction, backdrop);
    }

    /** This config with another head count range. */
    public HeadsConfig withHeads(int min, int max) {
        return new HeadsConfig(width, height, min, max, minBoxPx, maxBoxPx, minVisibleFraction, backdrop);
    }

    /** This config with another visibility threshold. */
    public HeadsConfig withMinVisibleFraction(double f) {
        return new HeadsConfig(width, height, minHeads, maxHeads, minBoxPx, maxBoxPx, f, backdrop);
    }

    /** This config with another backdrop. */
    public HeadsConfig withBackdrop(Backdrop b) {
        return new HeadsConfig(width, height, minHeads, maxHeads, minBoxPx, maxBoxPx, minVisibleFraction, b);
    }
}
