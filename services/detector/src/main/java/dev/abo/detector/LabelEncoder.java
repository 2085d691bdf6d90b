package dev.abo.detector;

import java.util.List;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.BoxCodec;
import dev.abo.core.geometry.GridCell;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the label tensor ({@link LabelLayout}) of a batch from each image's objects, in pixels of
 * the network input, plus the step's {@link LossSchedule}.
 *
 * <p><b>One ground truth per cell</b> (as DL4J's Yolo2OutputLayer): an object belongs to the cell
 * containing its centre ({@link BoxCodec#cellOf}); when several objects fall into the same cell, the
 * one with the LARGER box area is kept (on equal area, the later one in the list) and the others are
 * dropped from the loss and counted in {@link Encoded#dropped()}. At stride 16 this is rare for
 * sparse scenes; crowded data would need K slots per cell.
 */
public final class LabelEncoder {
    private final int classes;
    private final int grid;
    private final double stride;
    private final int inputSize;

    public LabelEncoder(DetectorConfig config) {
        this.classes = config.numClasses();
        this.grid = config.gridSize();
        this.stride = config.stride();
        this.inputSize = config.inputSize();
    }

    /** The labels and how many objects were encoded / dropped as a second object of a cell. */
    public record Encoded(INDArray labels, int encoded, int dropped) {
    }

    /**
     * @param objects  per image, its objects with boxes in input pixels ({@code [0, inputSize]^2})
     * @param schedule the warm-up values of this step (written into every cell)
     * @throws IllegalArgumentException for an invalid box or a class outside {@code [0, C)}
     */
    public Encoded encode(List<List<LabeledObject>> objects, LossSchedule schedule,
                          org.nd4j.linalg.api.buffer.DataType dataType) {
        int b = objects.size();
        INDArray labels = Nd4j.zeros(dataType, b, LabelLayout.planes(classes), grid, grid);
        int encoded = 0;
        int dropped = 0;
        double[][][] areaKept = new double[b][grid][grid];
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < grid; y++) {
                for (int x = 0; x < grid; x++) {
                    put(labels, i, LabelLayout.SOFT_WEIGHT, y, x, schedule.softWeight());
                    put(labels, i, LabelLayout.TEMPERATURE, y, x, schedule.temperature());
                    put(labels, i, LabelLayout.LAMBDA, y, x, schedule.lambda());
                }
            }
            for (LabeledObject o : objects.get(i)) {
                Box box = o.box().validate(inputSize, inputSize);
                if (o.classId() < 0 || o.classId() >= classes) {
                    throw new IllegalArgumentException("classId " + o.classId() + " outside 0.." + (classes - 1)
                            + " in image " + i);
                }
                GridCell cell = BoxCodec.cellOf(box, stride, grid, grid);
                int cx = cell.x();
                int cy = cell.y();
                double area = box.area();
                if (areaKept[i][cy][cx] > 0) {
                    dropped++;
                    if (area < areaKept[i][cy][cx]) {
                        continue;
                    }
                    encoded--;
                    for (int c = 0; c < classes; c++) {
                        put(labels, i, LabelLayout.CLASS_0 + c, cy, cx, 0);
                    }
                }
                areaKept[i][cy][cx] = area;
                encoded++;
                put(labels, i, LabelLayout.PRESENT, cy, cx, 1);
                put(labels, i, LabelLayout.OFFSET_X, cy, cx, clamp01(box.cx() / stride - cx));
                put(labels, i, LabelLayout.OFFSET_Y, cy, cx, clamp01(box.cy() / stride - cy));
                put(labels, i, LabelLayout.LOG_W, cy, cx, Math.log(box.width() / stride));
                put(labels, i, LabelLayout.LOG_H, cy, cx, Math.log(box.height() / stride));
                put(labels, i, LabelLayout.CLASS_0 + o.classId(), cy, cx, 1);
            }
        }
        return new Encoded(labels, encoded, dropped);
    }

    /** A centre on the far image edge sits in the last cell at offset 1 (cellOf clamps it there). */
    private static double clamp01(double v) {
        return Math.min(1, Math.max(0, v));
    }

    private static void put(INDArray labels, int b, int plane, int y, int x, double v) {
        labels.putScalar(new long[] {b, plane, y, x}, v);
    }
}
