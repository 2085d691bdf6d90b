package dev.abo.core.synth;

import dev.abo.core.data.LabeledImage;
import dev.abo.core.image.RgbImage;

/**
 * One generated image with its ground truth.
 *
 * @param image           the pixels, {@code labels.width() x labels.height()}
 * @param labels          the objects kept as ground truth; each box is the exact pixel bounding box of
 *                        the object's full (unoccluded) shape, in continuous pixel corners
 * @param occludedDropped how many drawn objects were left out of {@code labels} because less than the
 *                        generator's minimum visible fraction of their pixels remained visible
 */
public record SyntheticScene(RgbImage image, LabeledImage labels, int occludedDropped) {
    public SyntheticScene {
        if (image.width() != labels.width() || image.height() != labels.height()) {
            throw new IllegalArgumentException("image " + image + " and labels " + labels.width() + "x"
                    + labels.height() + " differ in size");
        }
        if (occludedDropped < 0) {
            throw new IllegalArgumentException("occludedDropped must be >= 0, got " + occludedDropped);
        }
    }
}
