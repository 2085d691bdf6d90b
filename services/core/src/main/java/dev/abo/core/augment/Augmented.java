package dev.abo.core.augment;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.image.RgbImage;
import java.util.List;

/**
 * A network input made from a source image: its pixels and the objects that survived the transform.
 *
 * @param image        the transformed pixels, of the configured output size
 * @param objects      the kept objects, boxes in pixels of {@link #image()}, clipped to it
 * @param droppedBoxes how many source objects the {@link VisibilityRule} dropped (cropped away or too
 *                     small); never silently lost: {@code objects.size() + droppedBoxes} is the input count
 */
public record Augmented(RgbImage image, List<LabeledObject> objects, int droppedBoxes) {
    public Augmented {
        objects = List.copyOf(objects);
        if (droppedBoxes < 0) {
            throw new IllegalArgumentException("droppedBoxes must be >= 0, got " + droppedBoxes);
        }
    }
}
