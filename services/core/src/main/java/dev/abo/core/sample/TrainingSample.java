package dev.abo.core.sample;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.image.RgbImage;
import java.util.List;

/**
 * One image as the network sees it (already at the input size) with its ground truth in input
 * pixels.
 *
 * @param image   pixels at the network input size
 * @param objects ground truth in input pixels
 * @param origin  where it came from (image id, file, or synthetic scene index), for debugging
 */
public record TrainingSample(RgbImage image, List<LabeledObject> objects, String origin) {
    public TrainingSample {
        objects = List.copyOf(objects);
    }
}
