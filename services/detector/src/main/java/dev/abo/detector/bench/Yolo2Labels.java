package dev.abo.detector.bench;

import dev.abo.detector.LabelLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The labels of DL4J's {@code Yolo2OutputLayer}, {@code [B, 4 + C, S, S]}: per cell that holds a
 * ground truth, its corners {@code x1, y1, x2, y2} in grid units of the whole image ((0, 0) top left,
 * (S, S) bottom right) and the one-hot class; every plane 0 in the other cells (DL4J infers "object
 * present" from the class planes).
 *
 * <p>Derived from our own {@link LabelLayout} tensor of the same batch: centre {@code (x + fx, y + fy)},
 * size {@code (exp(log w), exp(log h))}. DL4J's format holds one ground truth per cell: of a cell holding
 * several (our slots), the LAST slot's, the one that wins any anchor collision in our loss. The schedule
 * planes are not part of DL4J's format.
 */
public final class Yolo2Labels {
    private Yolo2Labels() {
    }

    /** {@code labels}: our {@code [B, LabelLayout.planes(C, slots), S, S]} tensor. */
    public static INDArray fromLabelLayout(INDArray labels, int numClasses, int slots) {
        if (labels.rank() != 4 || labels.size(1) != LabelLayout.planes(numClasses, slots) || labels.size(2) != labels.size(3)) {
            throw new IllegalArgumentException("expected labels [B, " + LabelLayout.planes(numClasses, slots)
                    + ", S, S], got " + java.util.Arrays.toString(labels.shape()));
        }
        int b = (int) labels.size(0);
        int s = (int) labels.size(2);
        INDArray out = Nd4j.zeros(labels.dataType(), b, 4 + numClasses, s, s);
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int k = slots - 1;
                    while (k >= 0 && labels.getDouble(i, LabelLayout.slotPlane(k, LabelLayout.PRESENT, numClasses), y, x) == 0) {
                        k--;
                    }
                    if (k < 0) {
                        continue;
                    }
                    double cx = x + field(labels, i, k, LabelLayout.OFFSET_X, numClasses, y, x);
                    double cy = y + field(labels, i, k, LabelLayout.OFFSET_Y, numClasses, y, x);
                    double w = Math.exp(field(labels, i, k, LabelLayout.LOG_W, numClasses, y, x));
                    double h = Math.exp(field(labels, i, k, LabelLayout.LOG_H, numClasses, y, x));
                    out.putScalar(new long[] {i, 0, y, x}, cx - w / 2);
                    out.putScalar(new long[] {i, 1, y, x}, cy - h / 2);
                    out.putScalar(new long[] {i, 2, y, x}, cx + w / 2);
                    out.putScalar(new long[] {i, 3, y, x}, cy + h / 2);
                    for (int c = 0; c < numClasses; c++) {
                        out.putScalar(new long[] {i, 4 + c, y, x}, field(labels, i, k, LabelLayout.CLASS_0 + c, numClasses, y, x));
                    }
                }
            }
        }
        return out;
    }

    private static double field(INDArray labels, int image, int slot, int field, int numClasses, int y, int x) {
        return labels.getDouble(image, LabelLayout.slotPlane(slot, field, numClasses), y, x);
    }
}
