package dev.abo.core.synth;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import java.util.ArrayList;
import java.util.List;

/**
 * An endless, indexed source of synthetic detection scenes.
 *
 * <p>{@link #scene(long)} is a pure function of the generator's construction arguments (its seed
 * and configuration) and the index: any replica can regenerate scene 1234 without generating the
 * scenes before it, in any order, from any thread.
 */
public interface SceneGenerator {

    /** The dataset name as the CLI spells it, e.g. {@code synthetic:heads}. */
    String name();

    /** Class names; a label's {@code classId} indexes this list. */
    List<String> classNames();

    /** Image width in pixels. */
    int width();

    /** Image height in pixels. */
    int height();

    /**
     * Scene number {@code index} (>= 0); its {@link LabeledImage#id()} is the index in decimal.
     *
     * @throws IllegalArgumentException for a negative index
     */
    SyntheticScene scene(long index);

    /** The labels of scenes {@code first .. first + count - 1} as a dataset (renders each scene once). */
    default Dataset dataset(long first, int count) {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("need first >= 0 and count >= 0, got " + first + ", " + count);
        }
        List<LabeledImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(scene(first + i).labels());
        }
        return new Dataset(name(), classNames(), images);
    }
}
