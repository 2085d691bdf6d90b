package dev.abo.core.augment;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.image.RgbImage;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * YOLOv2's training augmentation built from one {@link AugmentConfig}: a random {@link JitterCrop}
 * (crop, scale, flip) resampled to the input size with the boxes mapped by the same
 * {@link AffineCrop}, then a random {@link HsvShift} of the result. Stateless and thread-safe; the
 * output depends only on the inputs and the generator's draws (ten per call for
 * {@link Scaling#RANDOM}, eight for {@link Scaling#NONE} and {@link Scaling#FIT}: crop, flip, then colour), so a seed
 * reproduces it.
 */
public final class Augmenter {

    private final AugmentConfig config;
    private final JitterCrop crop;
    private final HsvJitter colour;
    private final VisibilityRule rule;

    public Augmenter(AugmentConfig config) {
        this.config = config;
        this.crop = config.jitterCrop();
        this.colour = config.hsvJitter();
        this.rule = config.visibilityRule();
    }

    public AugmentConfig config() {
        return config;
    }

    /** One random augmentation of {@code image} and its objects (boxes in source pixels). */
    public Augmented apply(RgbImage image, List<LabeledObject> objects, RandomGenerator rng) {
        AffineCrop transform = crop.sample(image.width(), image.height(), rng);
        HsvShift shift = colour.sample(rng);
        Augmented out = transform.apply(image, objects, rule);
        shift.applyInPlace(out.image());
        return out;
    }
}
