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
 * <p>Derived from our own {@link LabelLayout} tensor of the same batch, so both formats carry exactly
 * the same ground truths (same one-per-cell choice): centre {@code (x + fx, y + fy)}, size
 * {@code (exp(log w), exp(log h))}. The schedule planes are not part of DL4J's format.
 */
public final class Yolo2Labels {
    private Yolo2Labels() {
    }

    /** {@code labels}: our {@code [B, LabelLayout.planes(C), S, S]} tensor. */
    public static INDArray fromLabelLayout(INDArray labels, int numClasses) {
        if (labels.rank() != 4 || labels.size(1) != LabelLayout.planes(numClasses) || labels.size(2) != labels.size(3)) {
            throw new IllegalArgumentException("expected labels [B, " + LabelLayout.planes(numClasses)
                    + ", S, S], got " + java.util.Arrays.toString(labels.shape()));
        }
        int b = (int) labels.size(0);
        int s = (int) labels.size(2);
        INDArray out = Nd4j.zeros(labels.dataType(), b, 4 + numClasses, s, s);
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    if (labels.getDouble(i, LabelLayout.PRESENT, y, x) == 0) {
                        continue;
                    }
                    double cx = x + labels.getDouble(i, LabelLayout.OFFSET_X, y, x);
                    double cy = y + labels.getDouble(i, LabelLayout.OFFSET_Y, y, x);
                    double w = Math.exp(labels.getDouble(i, LabelLayout.LOG_W, y, x));
                    double h = Math.exp(labels.getDouble(i, LabelLayout.LOG_H, y, x));
                    out.putScalar(new long[] {i, 0, y, x}, cx - w / 2);
                    out.putScalar(new long[] {i, 1, y, x}, cy - h / 2);
                    out.putScalar(new long[] {i, 2, y, x}, cx + w / 2);
                    out.putScalar(new long[] {i, 3, y, x}, cy + h / 2);
                    for (int c = 0; c < numClasses; c++) {
                        out.putScalar(new long[] {i, 4 + c, y, x}, labels.getDouble(i, LabelLayout.CLASS_0 + c, y, x));
                    }
                }
            }
        }
        return out;
    }
}
