package dev.abo.detector;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.BoxCodec;
import dev.abo.core.geometry.GridCell;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Builds the label tensor ({@link LabelLayout}) of a batch from each image's objects, in pixels of
 * the network input, plus the step's {@link LossSchedule}.
 *
 * <p><b>Up to A ground truths per cell</b> (A = the number of anchors): an object belongs to the cell
 * containing its centre ({@link BoxCodec#cellOf}) and takes the cell's next slot, in input order. Which
 * anchor it trains is decided in the loss with the current anchors (YOLOv2: the best shape IoU; two
 * objects of a cell with the same best anchor collide there and the later one wins, as in core's
 * {@code Assignment.slotOwners()}), so at most A objects of a cell can own an anchor and A slots hold
 * every object that can. Beyond A objects in one cell the EARLIEST ones are dropped (the later ones would
 * win every collision) and counted in {@link Encoded#dropped()}.
 *
 * <p><b>Difficult and crowd objects are not training targets</b> (validated like the others, then left out and
 * counted in {@link Encoded#ignored()}): YOLOv2 trains VOC from label files that leave {@code difficult} objects
 * out (darknet's {@code voc_label.py}), which the paper follows, and a COCO crowd region ({@code iscrowd}) is no
 * single object's box. Their area is background to the loss, as in YOLOv2. The anchors' k-means and statistics
 * leave both out too, and evaluation ignores them (core {@code VocEvaluator}).
 */
public final class LabelEncoder {
    private final int classes;
    private final int grid;
    private final double stride;
    private final int inputSize;
    private final int slots;

    public LabelEncoder(DetectorConfig config) {
        this.classes = config.numClasses();
        this.grid = config.gridSize();
        this.stride = config.stride();
        this.inputSize = config.inputSize();
        this.slots = config.numAnchors();
    }

    /**
     * The labels and how many objects were encoded / dropped because their cell had more than A objects / ignored
     * as difficult or crowd; the three counts add up to the objects given.
     */
    public record Encoded(INDArray labels, int encoded, int dropped, int ignored) {
    }

    /**
     * @param objects  per image, its objects with boxes in input pixels ({@code [0, inputSize]^2})
     * @param schedule the warm-up values of this step (written into every cell)
     * @throws IllegalArgumentException for an invalid box or a class outside {@code [0, C)}
     */
    public Encoded encode(List<List<LabeledObject>> objects, LossSchedule schedule,
                          org.nd4j.linalg.api.buffer.DataType dataType) {
        int b = objects.size();
        INDArray labels = Nd4j.zeros(dataType, b, LabelLayout.planes(classes, slots), grid, grid);
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(LabelLayout.SOFT_WEIGHT)).assign(schedule.softWeight());
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(LabelLayout.TEMPERATURE)).assign(schedule.temperature());
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(LabelLayout.LAMBDA)).assign(schedule.lambda());
        int encoded = 0;
        int dropped = 0;
        int ignored = 0;
        for (int i = 0; i < b; i++) {
            List<List<LabeledObject>> byCell = new ArrayList<>(grid * grid);
            for (int c = 0; c < grid * grid; c++) {
                byCell.add(new ArrayList<>());
            }
            for (LabeledObject o : objects.get(i)) {
                Box box = o.box().validate(inputSize, inputSize);
                if (o.classId() < 0 || o.classId() >= classes) {
                    throw new IllegalArgumentException("classId " + o.classId() + " outside 0.." + (classes - 1)
                            + " in image " + i);
                }
                if (o.difficult() || o.crowd()) {
                    ignored++;
                    continue;
                }
                GridCell cell = BoxCodec.cellOf(box, stride, grid, grid);
                byCell.get(cell.y() * grid + cell.x()).add(o);
            }
            for (int c = 0; c < grid * grid; c++) {
                List<LabeledObject> inCell = byCell.get(c);
                int skip = Math.max(0, inCell.size() - slots);
                dropped += skip;
                int cy = c / grid;
                int cx = c % grid;
                for (int k = 0; k + skip < inCell.size(); k++) {
                    LabeledObject o = inCell.get(k + skip);
                    Box box = o.box();
                    put(labels, i, k, LabelLayout.PRESENT, cy, cx, 1);
                    put(labels, i, k, LabelLayout.OFFSET_X, cy, cx, clamp01(box.cx() / stride - cx));
                    put(labels, i, k, LabelLayout.OFFSET_Y, cy, cx, clamp01(box.cy() / stride - cy));
                    put(labels, i, k, LabelLayout.LOG_W, cy, cx, Math.log(box.width() / stride));
                    put(labels, i, k, LabelLayout.LOG_H, cy, cx, Math.log(box.height() / stride));
                    put(labels, i, k, LabelLayout.CLASS_0 + o.classId(), cy, cx, 1);
                    encoded++;
                }
            }
        }
        return new Encoded(labels, encoded, dropped, ignored);
    }

    /** A centre on the far image edge sits in the last cell at offset 1 (cellOf clamps it there). */
    private static double clamp01(double v) {
        return Math.min(1, Math.max(0, v));
    }

    private void put(INDArray labels, int b, int slot, int field, int y, int x, double v) {
        labels.putScalar(new long[] {b, LabelLayout.slotPlane(slot, field, classes), y, x}, v);
    }
}
