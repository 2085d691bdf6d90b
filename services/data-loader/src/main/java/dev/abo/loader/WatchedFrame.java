package dev.abo.loader;

import dev.abo.core.augment.Augmented;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.InputFit;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.image.RgbImage;
import dev.abo.core.random.IndexedSeed;
import dev.abo.core.sample.TrainingSample;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One annotated frame read from a watched folder.
 *
 * @param frameNumber position in the folder's arrival order, from 0 (seeds its augmentation)
 * @param file        the image file name relative to the folder (its identity: read once)
 * @param annotation  the annotation file that listed it
 * @param image       its pixels
 * @param objects     its boxes in pixels of {@code image}, class ids into the configured class names
 */
public record WatchedFrame(long frameNumber, String file, String annotation, RgbImage image,
                           List<LabeledObject> objects) {
    public WatchedFrame {
        objects = List.copyOf(objects);
    }

    /** The frame only fitted to the network input, as held-out frames are sent. */
    public TrainingSample fitted(InputFit fit) {
        Augmented a = fit.apply(image, objects);
        return new TrainingSample(a.image(), a.objects(), file);
    }

    /** The frame augmented to the network input, with a generator seeded by {@code (seed, frameNumber)}. */
    public TrainingSample sample(Augmenter augmenter, long seed) {
        Augmented a = augmenter.apply(image, objects, new SplittableRandom(IndexedSeed.of(seed, frameNumber)));
        return new TrainingSample(a.image(), a.objects(), file);
    }
}
