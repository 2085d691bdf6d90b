package dev.abo.core.grad;

import java.util.List;

/**
 * The width/height localisation loss of paper Eq. 3 and its gradient with respect to the log-anchors
 * (Eq. 8-9):
 * <pre>
 *   L_wh       = lambdaCoord * sum_t delta_t [ (dw_t + s^w_k(t) - log g^w_t)^2 + (dh_t + s^h_k(t) - log g^h_t)^2 ]
 *   dL/ds^w_k  = 2 lambdaCoord * sum_{t : k(t) = k} delta_t (dw_t + s^w_k - log g^w_t)   (likewise h)
 * </pre>
 * {@code delta} is held constant (the paper fixes the assignment before back-propagation).
 */
public final class WhLoss {
    private WhLoss() {
    }

    /**
     * @param lambdaCoord the localisation loss weight (finite, {@code >= 0})
     * @param terms       one residual per (anchor, gt) pair with non-zero weight
     * @param logW        current {@code s^w_k = log anchor width}, length A
     * @param logH        current {@code s^h_k}, length A
     */
    public static LossGradient evaluate(double lambdaCoord, List<WhResidual> terms, double[] logW, double[] logH) {
        if (!Double.isFinite(lambdaCoord) || lambdaCoord < 0) {
            throw new IllegalArgumentException("lambdaCoord must be finite and >= 0, got " + lambdaCoord);
        }
        LogAnchors.check(terms, logW, logH);
        double loss = 0;
        double[] gw = new double[logW.length];
        double[] gh = new double[logH.length];
        for (WhResidual t : terms) {
            int k = t.anchor();
            double rw = t.dw() + logW[k] - t.logGtW();
            double rh = t.dh() + logH[k] - t.logGtH();
            loss += t.weight() * (rw * rw + rh * rh);
            gw[k] += 2 * t.weight() * rw;
            gh[k] += 2 * t.weight() * rh;
        }
        scale(gw, lambdaCoord);
        scale(gh, lambdaCoord);
        return new LossGradient(lambdaCoord * loss, gw, gh);
    }

    private static void scale(double[] a, double f) {
        for (int k = 0; k < a.length; k++) {
            a[k] *= f;
        }
    }
}
