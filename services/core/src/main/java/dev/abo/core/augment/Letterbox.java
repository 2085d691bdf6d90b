package dev.abo.core.augment;

import dev.abo.core.geometry.Box;

/**
 * Aspect-preserving resize into {@code width x height} with padding (darknet's {@code letterbox_image}):
 * scale {@code s = min(width / sourceWidth, height / sourceHeight)}; the content is
 * {@code round(sourceWidth * s) x round(sourceHeight * s)} pixels, centred at the whole-pixel offset
 * {@code ((width - contentWidth) / 2, (height - contentHeight) / 2)} (integer division), so its border
 * falls on pixel boundaries; the rest is {@code fillRgb}. Rounding the content size makes the x and y
 * scales differ by at most half a pixel over the image; both are exact in {@link #crop}, so the inverse
 * is exact.
 *
 * @param width   network input width, pixels
 * @param height  network input height, pixels
 * @param fillRgb padding colour, {@code 0xRRGGBB} (darknet: grey 127, {@link AffineCrop#GREY_127})
 */
public record Letterbox(int width, int height, int fillRgb) implements InputFit {

    public Letterbox {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + width + "x" + height);
        }
        if (fillRgb < 0 || fillRgb > 0xFFFFFF) {
            throw new IllegalArgumentException("fillRgb must be in [0, 0xFFFFFF], got " + fillRgb);
        }
    }

    @Override
    public AffineCrop crop(int sourceWidth, int sourceHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive, got " + sourceWidth + "x" + sourceHeight);
        }
        double s = Math.min((double) width / sourceWidth, (double) height / sourceHeight);
        int contentWidth = (int) Math.max(1, Math.min(width, Math.round(sourceWidth * s)));
        int contentHeight = (int) Math.max(1, Math.min(height, Math.round(sourceHeight * s)));
        int offsetX = (width - contentWidth) / 2;
        int offsetY = (height - contentHeight) / 2;
        double sx = (double) contentWidth / sourceWidth;
        double sy = (double) contentHeight / sourceHeight;
        Box window = new Box(-offsetX / sx, -offsetY / sy, (width - offsetX) / sx, (height - offsetY) / sy);
        return new AffineCrop(window, width, height, false, fillRgb);
    }
}
