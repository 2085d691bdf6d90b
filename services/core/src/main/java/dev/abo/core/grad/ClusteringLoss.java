package dev.abo.core.grad;

import java.util.List;

/**
 * The online clustering warm-up term of paper Eq. 11-12 and its gradient with respect to the
 * log-anchors:
 * <pre>
 *   L_clu      = lambda / (2N) * sum_t delta_t [ (s^w_k(t) - log g^w_t)^2 + (s^h_k(t) - log g^h_t)^2 ]
 *   dL/ds^w_k  = lambda / N * sum_{t : k(t) = k} delta_t (s^w_k - log g^w_t)   (likewise h)
 * </pre>
 * with {@code N = sum_t delta_t} over the terms given (one image or a whole batch, as the caller
 * chooses). The network outputs {@code dw, dh} of the terms are not used. {@code delta} is constant.
 * When {@code N == 0} (no ground truth) the term is defined as 0 with a zero gradient, not 0/0.
 */
public final class ClusteringLoss {
    private ClusteringLoss() {
    }

    /**
     * @param lambda the clustering weight (e.g. {@code WarmupSchedule.lambda(step)}), finite, {@code >= 0}
     */
    public static LossGradient evaluate(double lambda, List<WhResidual> terms, double[] logW, double[] logH) {
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        LogAnchors.check(terms, logW, logH);
        double n = 0;
        for (WhResidual t : terms) {
            n += t.weight();
        }
        double[] gw = new double[logW.length];
        double[] gh = new double[logH.length];
        if (n == 0) {
            return new LossGradient(0, gw, gh);
        }
        double sum = 0;
        for (WhResidual t : terms) {
            int k = t.anchor();
            double ew = logW[k] - t.logGtW();
            double eh = logH[k] - t.logGtH();
            sum += t.weight() * (ew * ew + eh * eh);
            gw[k] += t.weight() * ew;
            gh[k] += t.weight() * eh;
        }
        for (int k = 0; k < gw.length; k++) {
            gw[k] *= lambda / n;
            gh[k] *= lambda / n;
        }
        return new LossGradient(lambda / (2 * n) * sum, gw, gh);
    }
}
