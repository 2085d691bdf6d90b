package dev.abo.core.augment;

import dev.abo.core.geometry.Box;

/**
 * Which boxes survive a crop. A mapped box is clipped to the output image; it is kept only if the
 * clipped box has positive width and height, is at least {@code minBoxSidePx} wide and high, and keeps
 * at least {@code minVisibleFraction} of the mapped (unclipped) box's area. A box entirely inside the
 * output keeps fraction 1, so the fraction only drops objects that the crop cut away.
 *
 * <p>Darknet keeps every clipped box wider than 0.1% of the input; we also drop slivers, which carry
 * no learnable appearance.
 *
 * @param minVisibleFraction smallest kept fraction of the mapped box's area, in [0, 1]
 * @param minBoxSidePx       smallest kept width and height of the clipped box, output pixels, >= 0
 */
public record VisibilityRule(double minVisibleFraction, double minBoxSidePx) {

    /** The training default: keep boxes with at least 20% visible and at least 1 px on each side. */
    public static final VisibilityRule DEFAULT = new VisibilityRule(0.2, 1.0);

    /** Keeps every box that has any visible area (for deterministic resizes at evaluation). */
    public static final VisibilityRule ANY_VISIBLE = new VisibilityRule(0, 0);

    public VisibilityRule {
        if (!(minVisibleFraction >= 0 && minVisibleFraction <= 1)) {
            throw new IllegalArgumentException("minVisibleFraction must be in [0, 1], got " + minVisibleFraction);
        }
        if (!(minBoxSidePx >= 0 && Double.isFinite(minBoxSidePx))) {
            throw new IllegalArgumentException("minBoxSidePx must be finite and >= 0, got " + minBoxSidePx);
        }
    }

    /** Whether the box mapped to the output as {@code mapped}, clipped to {@code clipped}, is kept. */
    public boolean keeps(Box mapped, Box clipped) {
        double w = clipped.width();
        double h = clipped.height();
        return w > 0 && h > 0 && w >= minBoxSidePx && h >= minBoxSidePx
                && clipped.area() >= minVisibleFraction * mapped.area();
    }
}
