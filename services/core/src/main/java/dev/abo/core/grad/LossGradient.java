package dev.abo.core.grad;

import java.util.Arrays;

/**
 * A loss value and its gradient with respect to the log-anchors {@code s^(w)_k}, {@code s^(h)_k}
 * (one entry per anchor). Arrays are copied in and out.
 */
public record LossGradient(double loss, double[] dLogW, double[] dLogH) {

    public LossGradient {
        dLogW = dLogW.clone();
        dLogH = dLogH.clone();
    }

    @Override
    public double[] dLogW() {
        return dLogW.clone();
    }

    @Override
    public double[] dLogH() {
        return dLogH.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossGradient g && Double.compare(loss, g.loss) == 0
                && Arrays.equals(dLogW, g.dLogW) && Arrays.equals(dLogH, g.dLogH);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(loss) + Arrays.hashCode(dLogW)) + Arrays.hashCode(dLogH);
    }

    @Override
    public String toString() {
        return "LossGradient[loss=" + loss + ", dLogW=" + Arrays.toString(dLogW) + ", dLogH="
                + Arrays.toString(dLogH) + "]";
    }
}
