package dev.abo.core.augment;

import dev.abo.core.geometry.Box;
import java.util.random.RandomGenerator;

/**
 * The random geometric part of YOLOv2's augmentation (darknet {@code load_data_detection}; the paper's
 * Sec. 4.1 "random jittering, scaling"): a crop window drawn per image, plus a random left-right flip.
 *
 * <p>With {@link Scaling#RANDOM}, for a {@code w x h} source the left and right sides of the window
 * move by independent amounts uniform in {@code [-jitter*w, jitter*w]} (inward positive), the top and
 * bottom likewise with {@code h}; the window is {@code [left, top, w - right, h - bottom]} and is
 * stretched to the output. With {@link Scaling#NONE} the window is {@code outputWidth x outputHeight}
 * source pixels whose left edge is uniform in {@code [-jitter*w, w - outputWidth + jitter*w]} (the top
 * likewise). With {@link Scaling#FIT} the window is {@code w x h} (the whole source) whose left edge is
 * uniform in {@code [-jitter*w, jitter*w]} (the top likewise), stretched to the output. Window parts outside the source become {@code fillRgb}. Offsets are continuous, not
 * rounded to whole pixels as darknet does; boxes follow exactly either way.
 *
 * @param jitter          largest side offset as a fraction of the source size, in [0, 0.5) (YOLOv2: 0.2)
 * @param scaling         whether the window's size is random
 * @param flipProbability probability of a left-right flip, in [0, 1] (YOLOv2: 0.5)
 * @param outputWidth     network input width, pixels
 * @param outputHeight    network input height, pixels
 * @param fillRgb         colour outside the source, {@code 0xRRGGBB}
 */
public record JitterCrop(double jitter, Scaling scaling, double flipProbability, int outputWidth, int outputHeight,
                         int fillRgb) {

    public JitterCrop {
        if (!(jitter >= 0 && jitter < 0.5)) {
            throw new IllegalArgumentException("jitter must be in [0, 0.5), got " + jitter);
        }
        if (scaling == null) {
            throw new IllegalArgumentException("scaling must be RANDOM, NONE or FIT, got null");
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
        if (outputWidth <= 0) {
            throw new IllegalArgumentException("outputWidth must be > 0, got " + outputWidth);
        }
        if (outputHeight <= 0) {
            throw new IllegalArgumentException("outputHeight must be > 0, got " + outputHeight);
        }
        if (fillRgb < 0 || fillRgb > 0xFFFFFF) {
            throw new IllegalArgumentException("fillRgb must be in [0, 0xFFFFFF], got " + fillRgb);
        }
    }

    /**
     * One random crop of a {@code sourceWidth x sourceHeight} image. Draws from {@code rng} in a fixed
     * order: four side offsets (left, right, top, bottom) for {@code RANDOM} or two positions (x, y)
     * for {@code NONE} and {@code FIT}, then one number for the flip.
     */
    public AffineCrop sample(int sourceWidth, int sourceHeight, RandomGenerator rng) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive, got " + sourceWidth + "x" + sourceHeight);
        }
        double dw = jitter * sourceWidth;
        double dh = jitter * sourceHeight;
        Box window;
        if (scaling == Scaling.RANDOM) {
            double left = offset(dw, rng);
            double right = offset(dw, rng);
            double top = offset(dh, rng);
            double bottom = offset(dh, rng);
            window = new Box(left, top, sourceWidth - right, sourceHeight - bottom);
        } else if (scaling == Scaling.FIT) {
            double x = offset(dw, rng);
            double y = offset(dh, rng);
            window = new Box(x, y, x + sourceWidth, y + sourceHeight);
        } else {
            double x = -dw + rng.nextDouble() * (sourceWidth - outputWidth + 2 * dw);
            double y = -dh + rng.nextDouble() * (sourceHeight - outputHeight + 2 * dh);
            window = new Box(x, y, x + outputWidth, y + outputHeight);
        }
        boolean flip = rng.nextDouble() < flipProbability;
        return new AffineCrop(window, outputWidth, outputHeight, flip, fillRgb);
    }

    private static double offset(double max, RandomGenerator rng) {
        return max * (2 * rng.nextDouble() - 1) + 0.0; // + 0.0 turns -0.0 into 0.0
    }
}
