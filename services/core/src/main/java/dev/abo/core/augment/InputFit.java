package dev.abo.core.augment;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.List;

/**
 * A deterministic resize of any source image to the network input, for inference and evaluation,
 * with its exact inverse for mapping detections back to source pixels.
 */
public sealed interface InputFit permits Letterbox, Stretch {

    /** The transform for a source of this size (pixels). */
    AffineCrop crop(int sourceWidth, int sourceHeight);

    /** The image and its objects as the network sees them; keeps every box with any visible area. */
    default Augmented apply(RgbImage image, List<LabeledObject> objects) {
        return crop(image.width(), image.height()).apply(image, objects, VisibilityRule.ANY_VISIBLE);
    }

    /** A box in input pixels (e.g. a detection) in pixels of a source of this size. */
    default Box toSource(Box input, int sourceWidth, int sourceHeight) {
        return crop(sourceWidth, sourceHeight).toSource(input);
    }
}
