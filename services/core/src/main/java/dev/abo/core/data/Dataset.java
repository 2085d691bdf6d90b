package dev.abo.core.data;

import java.util.List;

/**
 * A detection dataset: class names (a {@link LabeledObject#classId()} indexes this list) and its
 * images.
 */
public record Dataset(String name, List<String> classNames, List<LabeledImage> images) {
    public Dataset {
        classNames = List.copyOf(classNames);
        images = List.copyOf(images);
    }

    /** Number of objects over all images. */
    public int objectCount() {
        return images.stream().mapToInt(i -> i.objects().size()).sum();
    }
}
