package dev.abo.detector;

/**
 * The softmax of one cell's class logits as the head lays them out: {@code c} values {@code stride} apart in a
 * flat C-order array (one plane per class). Shared by the output layer's loss and decoded activations and by the
 * serving decoder, so that all three compute the same numbers.
 */
public final class ClassSoftmax {
    private ClassSoftmax() {
    }

    /** {@code log sum_j exp(z_j)} over {@code z_j = values[first + j * stride]}, computed from the largest logit. */
    public static double logSumExp(double[] values, int first, int stride, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, values[first + j * stride]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(values[first + j * stride] - max);
        }
        return Math.log(sum) + max;
    }

    /**
     * Writes the class probabilities to {@code out[outFirst + j * outStride]}: the softmax of the logits, or 1 for a
     * single class (the head has no logit to normalise then).
     */
    public static void probabilities(double[] values, int first, int stride, int c, double[] out, int outFirst, int outStride) {
        if (c == 1) {
            out[outFirst] = 1;
            return;
        }
        // exp(z - max) / sum rather than exp(z - logSumExp): max + log(sum) rounds at the scale of the logits
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, values[first + j * stride]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double e = Math.exp(values[first + j * stride] - max);
            out[outFirst + j * outStride] = e;
            sum += e;
        }
        for (int j = 0; j < c; j++) {
            out[outFirst + j * outStride] /= sum;
        }
    }
}
