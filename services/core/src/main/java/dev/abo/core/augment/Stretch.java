package dev.abo.core.augment;

import dev.abo.core.geometry.Box;

/**
 * YOLOv2's default resize: the whole source stretched to {@code width x height}, aspect ratio not kept
 * ({@code x' = x * width / sourceWidth}, {@code y' = y * height / sourceHeight}).
 *
 * @param width  network input width, pixels
 * @param height network input height, pixels
 */
public record Stretch(int width, int height) implements InputFit {

    public Stretch {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + width + "x" + height);
        }
    }

    @Override
    public AffineCrop crop(int sourceWidth, int sourceHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive, got " + sourceWidth + "x" + sourceHeight);
        }
        return new AffineCrop(new Box(0, 0, sourceWidth, sourceHeight), width, height, false, 0);
    }
}
