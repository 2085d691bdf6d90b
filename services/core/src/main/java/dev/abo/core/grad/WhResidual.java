package dev.abo.core.grad;

/**
 * One (anchor, ground truth) term of the width/height losses (paper Eq. 3 and Eq. 12), everything in
 * log space.
 *
 * @param anchor  index k of the anchor shape this term belongs to ({@code anchor(i) == k})
 * @param weight  the assignment weight {@code delta_ij >= 0} (a constant: no gradient flows through it)
 * @param dw      the network output {@code Delta_i^(w)} (log-space width offset)
 * @param dh      the network output {@code Delta_i^(h)}
 * @param logGtW  {@code log g_j^(w)}, ground-truth width in the same pixels as the anchors
 * @param logGtH  {@code log g_j^(h)}
 */
public record WhResidual(int anchor, double weight, double dw, double dh, double logGtW, double logGtH) {

    public WhResidual {
        if (anchor < 0) {
            throw new IllegalArgumentException("anchor index must be >= 0, got " + anchor);
        }
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
        }
        if (!Double.isFinite(dw) || !Double.isFinite(dh) || !Double.isFinite(logGtW) || !Double.isFinite(logGtH)) {
            throw new IllegalArgumentException("non-finite value in WhResidual[dw=" + dw + ", dh=" + dh
                    + ", logGtW=" + logGtW + ", logGtH=" + logGtH + "]");
        }
    }
}
