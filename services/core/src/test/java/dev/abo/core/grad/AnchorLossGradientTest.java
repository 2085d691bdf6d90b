package dev.abo.core.grad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Both anchor losses: a hand-computed 2-term example, and central finite differences on random inputs. */
class AnchorLossGradientTest {

    /** Evaluates one of the two losses; the first argument is its coefficient. */
    private interface Loss {
        LossGradient evaluate(double coefficient, List<WhResidual> terms, double[] logW, double[] logH);
    }

    // log-anchors s^w = [0, 1], s^h = [0, 2]
    private static final double[] LOG_W = {0, 1};
    private static final double[] LOG_H = {0, 2};
    private static final List<WhResidual> TWO_TERMS = List.of(
            new WhResidual(0, 1.0, 0.5, -0.25, -0.5, 0),
            new WhResidual(1, 0.5, -0.5, 0.5, 1.5, 1.5));

    @Test
    void whLossByHand() {
        // term 1 (k=0, delta 1): rw = 0.5 + 0 + 0.5 = 1, rh = -0.25 + 0 - 0 = -0.25 -> 1 + 0.0625 = 1.0625
        //   grad: w0 += 2*1*1 = 2, h0 += 2*1*(-0.25) = -0.5
        // term 2 (k=1, delta 0.5): rw = -0.5 + 1 - 1.5 = -1, rh = 0.5 + 2 - 1.5 = 1 -> 0.5*(1 + 1) = 1
        //   grad: w1 += 2*0.5*(-1) = -1, h1 += 2*0.5*1 = 1
        // lambdaCoord 5: loss 5 * 2.0625 = 10.3125, dW = [10, -5], dH = [-2.5, 5]
        LossGradient g = WhLoss.evaluate(5, TWO_TERMS, LOG_W, LOG_H);
        assertThat(g.loss()).isEqualTo(10.3125);
        assertThat(g.dLogW()).containsExactly(10, -5);
        assertThat(g.dLogH()).containsExactly(-2.5, 5);
    }

    @Test
    void clusteringLossByHand() {
        // N = 1 + 0.5 = 1.5
        // term 1: (0 - (-0.5))^2 + (0 - 0)^2 = 0.25, weighted 0.25
        // term 2: (1 - 1.5)^2 + (2 - 1.5)^2 = 0.5, weighted 0.25
        // lambda 0.6: loss = 0.6 / (2*1.5) * 0.5 = 0.1
        // dW0 = 0.6/1.5 * 1 * 0.5 = 0.2; dW1 = 0.6/1.5 * 0.5 * (-0.5) = -0.1; dH0 = 0; dH1 = 0.4 * 0.5 * 0.5 = 0.1
        LossGradient g = ClusteringLoss.evaluate(0.6, TWO_TERMS, LOG_W, LOG_H);
        assertThat(g.loss()).isCloseTo(0.1, within(1e-15));
        assertThat(g.dLogW()).containsExactly(new double[] {0.2, -0.1}, within(1e-15));
        assertThat(g.dLogH()).containsExactly(new double[] {0, 0.1}, within(1e-15));
    }

    @Test
    void noWeightMeansNoClusteringTerm() {
        // N = 0: defined as loss 0 and zero gradient (instead of 0/0)
        List<WhResidual> zeroWeight = List.of(new WhResidual(1, 0, 0.3, 0.3, 2, 2));
        assertThat(ClusteringLoss.evaluate(1, zeroWeight, LOG_W, LOG_H))
                .isEqualTo(new LossGradient(0, new double[2], new double[2]));
        assertThat(ClusteringLoss.evaluate(1, List.of(), LOG_W, LOG_H))
                .isEqualTo(new LossGradient(0, new double[2], new double[2]));
    }

    @Test
    void whGradientMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(WhLoss::evaluate, 11);
    }

    @Test
    void clusteringGradientMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(ClusteringLoss::evaluate, 12);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> WhLoss.evaluate(1, TWO_TERMS, new double[] {0}, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("anchor 1 outside 0..0");
        assertThatThrownBy(() -> ClusteringLoss.evaluate(1, TWO_TERMS, new double[] {0, 1}, new double[] {0}))
                .hasMessage("logW and logH lengths differ: 2 vs 1");
        assertThatThrownBy(() -> WhLoss.evaluate(-1, TWO_TERMS, LOG_W, LOG_H))
                .hasMessage("lambdaCoord must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> ClusteringLoss.evaluate(Double.NaN, TWO_TERMS, LOG_W, LOG_H))
                .hasMessage("lambda must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> new WhResidual(0, -0.5, 0, 0, 0, 0))
                .hasMessage("weight must be finite and >= 0, got -0.5");
        assertThatThrownBy(() -> new WhResidual(-1, 1, 0, 0, 0, 0))
                .hasMessage("anchor index must be >= 0, got -1");
    }

    /**
     * Central differences with h = 1e-6 on each log-anchor; agreement to 1e-6 relative to
     * max(1, |analytic|) (the floor covers anchors whose gradient is 0 or tiny).
     */
    private static void checkAgainstFiniteDifferences(Loss loss, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double h = 1e-6;
        for (int trial = 0; trial < 20; trial++) {
            int a = 1 + rnd.nextInt(5);
            double[] logW = new double[a];
            double[] logH = new double[a];
            for (int k = 0; k < a; k++) {
                logW[k] = rnd.nextDouble(1, 5);
                logH[k] = rnd.nextDouble(1, 5);
            }
            List<WhResidual> terms = new ArrayList<>();
            for (int t = rnd.nextInt(1, 30); t > 0; t--) {
                terms.add(new WhResidual(rnd.nextInt(a), rnd.nextDouble(), rnd.nextDouble(-1, 1),
                        rnd.nextDouble(-1, 1), rnd.nextDouble(1, 5), rnd.nextDouble(1, 5)));
            }
            double coefficient = rnd.nextDouble(0.1, 5);
            LossGradient g = loss.evaluate(coefficient, terms, logW, logH);
            for (int k = 0; k < a; k++) {
                double fdW = centralDifference(loss, coefficient, terms, logW, logH, k, true, h);
                double fdH = centralDifference(loss, coefficient, terms, logW, logH, k, false, h);
                assertThat(fdW).isCloseTo(g.dLogW()[k], within(1e-6 * Math.max(1, Math.abs(g.dLogW()[k]))));
                assertThat(fdH).isCloseTo(g.dLogH()[k], within(1e-6 * Math.max(1, Math.abs(g.dLogH()[k]))));
            }
        }
    }

    private static double centralDifference(Loss loss, double c, List<WhResidual> terms, double[] logW,
            double[] logH, int k, boolean width, double h) {
        double[] target = width ? logW : logH;
        double saved = target[k];
        target[k] = saved + h;
        double up = loss.evaluate(c, terms, logW, logH).loss();
        target[k] = saved - h;
        double down = loss.evaluate(c, terms, logW, logH).loss();
        target[k] = saved;
        return (up - down) / (2 * h);
    }
}
