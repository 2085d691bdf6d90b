package dev.abo.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One annotated image.
 *
 * @param id      the dataset's image id (VOC file stem, COCO numeric id as text, IDL path)
 * @param file    the image file, or {@code null} for images that exist only in memory
 * @param width   image width in pixels (of the file on disk, after any rescale of the annotation)
 * @param height  image height in pixels
 * @param objects the ground truth in pixels of this width/height
 */
public record LabeledImage(String id, Path file, int width, int height, List<LabeledObject> objects) {
    public LabeledImage {
        objects = List.copyOf(objects);
    }
}
