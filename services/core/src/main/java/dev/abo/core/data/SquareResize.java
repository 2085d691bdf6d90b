package dev.abo.core.data;

import java.util.List;

/**
 * Stretches images to a square {@code N x N} network input, as YOLOv2's anchor k-means does: every
 * box is scaled by {@code N/width} along x and {@code N/height} along y (aspect ratio not kept), so
 * box shapes come out in input pixels.
 */
public record SquareResize(int size) {

    public SquareResize {
        if (size <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + size);
        }
    }

    /**
     * The image as the network sees it: width and height become {@link #size()}, boxes and areas are
     * scaled; {@link LabeledImage#file()} still names the source pixels.
     */
    public LabeledImage apply(LabeledImage image) {
        double sx = (double) size / image.width();
        double sy = (double) size / image.height();
        List<LabeledObject> objects = image.objects().stream().map(o -> o.scale(sx, sy)).toList();
        return new LabeledImage(image.id(), image.file(), size, size, objects);
    }

    /** Every image of the dataset resized; name and classes unchanged. */
    public Dataset apply(Dataset dataset) {
        return new Dataset(dataset.name(), dataset.classNames(), dataset.images().stream().map(this::apply).toList());
    }
}
