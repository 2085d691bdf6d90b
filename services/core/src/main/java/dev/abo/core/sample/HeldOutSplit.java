package dev.abo.core.sample;

import dev.abo.core.random.IndexedSeed;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a dataset into training and held-out images by a hash of each image id, so the split of an
 * image never changes when images are added or the order changes.
 *
 * @param train    the training part
 * @param heldOut  the held-out part (about {@code fraction} of the images)
 */
public record HeldOutSplit(Dataset train, Dataset heldOut) {

    public static HeldOutSplit of(Dataset dataset, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + fraction);
        }
        List<LabeledImage> train = new ArrayList<>();
        List<LabeledImage> held = new ArrayList<>();
        for (LabeledImage im : dataset.images()) {
            long h = IndexedSeed.of(seed, im.id().hashCode());
            double u = (h >>> 11) * 0x1.0p-53;
            (u < fraction ? held : train).add(im);
        }
        return new HeldOutSplit(new Dataset(dataset.name() + ":train", dataset.classNames(), train),
                new Dataset(dataset.name() + ":heldout", dataset.classNames(), held));
    }
}
