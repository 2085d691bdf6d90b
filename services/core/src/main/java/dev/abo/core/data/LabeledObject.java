package dev.abo.core.data;

import dev.abo.core.geometry.Box;

/**
 * One annotated object: its box in pixels of the image it belongs to, its class index, and the two
 * evaluation flags of the reference tools (VOC {@code difficult}, COCO {@code iscrowd}).
 *
 * @param area the annotation's area in pixels^2 as the dataset declares it (COCO segmentation
 *             area; box area where the dataset has none); COCO's small/medium/large ranges use it
 */
public record LabeledObject(Box box, int classId, boolean difficult, boolean crowd, double area) {

    /** A plain object: not difficult, not crowd, area = box area. */
    public static LabeledObject of(Box box, int classId) {
        return new LabeledObject(box, classId, false, false, box.area());
    }

    /** This object with its box (and declared area) scaled by (sx, sy). */
    public LabeledObject scale(double sx, double sy) {
        return new LabeledObject(box.scale(sx, sy), classId, difficult, crowd, area * sx * sy);
    }
}
