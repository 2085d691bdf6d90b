package dev.abo.core.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeLloydTest {
    private static final int N = 200_000;
    private static final int MAX_ITERATIONS = 300;

    @Test
    void prunedParallelRunsEqualABruteForceLloydToTheLastBit() {
        // 200k shapes: large enough that full passes and the early active lists are split into chunks
        double[][] data = AnchorKMeansTest.logNormalBoxes(N, 11);
        double[] initW = {15, 30, 45, 50, 80, 90, 150, 160, 300};
        double[] initH = {15, 40, 25, 70, 50, 110, 100, 200, 280};
        KMeansResult expected = bruteForceLloyd(data[0], data[1], initW, initH);
        assertThat(expected.converged()).isTrue();
        assertThat(expected.iterations()).isGreaterThan(20); // many passes, so the pruning is exercised

        for (int parts : new int[] {1, 2, 3}) {
            ShapeLloyd lloyd = new ShapeLloyd(data[0], data[1], parts);
            lloyd.run(initW, initH, MAX_ITERATIONS);
            // record equality compares every double with Double.compare: bit for bit
            assertThat(lloyd.result(lloyd.seedFitness())).as("parts = %d", parts).isEqualTo(expected);
        }
        List<Shape> init = new ArrayList<>();
        for (int j = 0; j < initW.length; j++) {
            init.add(new Shape(initW[j], initH[j]));
        }
        assertThat(new AnchorKMeans().refine(data[0], data[1], init)).isEqualTo(expected);
    }

    @Test
    void anEmptiedClusterIsReseededExactlyAsByBruteForce() {
        // two equal initial centres: the first pass puts every box in centre 0 (first on ties), so
        // centre 1 is empty and jumps to the farthest box before the second pass
        double[][] data = AnchorKMeansTest.logNormalBoxes(N / 4, 12);
        double[] initW = {40, 40, 15, 150};
        double[] initH = {40, 40, 20, 120};
        KMeansResult expected = bruteForceLloyd(data[0], data[1], initW, initH);
        assertThat(expected.counts()).doesNotContain(0);

        for (int parts : new int[] {1, 2}) {
            ShapeLloyd lloyd = new ShapeLloyd(data[0], data[1], parts);
            lloyd.run(initW, initH, MAX_ITERATIONS);
            assertThat(lloyd.result(lloyd.seedFitness())).as("parts = %d", parts).isEqualTo(expected);
        }
    }

    private static double distance(double aw, double ah, double bw, double bh) {
        return 1 - Iou.ofShapes(aw, ah, bw, bh);
    }

    /**
     * Textbook Lloyd written independently of ShapeLloyd: every pass computes the distance of every
     * box to every centre (nearest = smallest {@code 1 - IoU}, first index on ties), then centres
     * move to their members' mean; it stops after a pass that changes no assignment. It keeps the
     * members' width and height sums as running sums, updated box by box in ascending order when a
     * box changes cluster, because that is the summation order ShapeLloyd promises; sums recomputed
     * from scratch each pass would round differently in the last bits (AnchorKMeansTest compares
     * against that variant with a tolerance). An empty cluster jumps to the box farthest from its
     * nearest non-empty centre (first index on ties), as AnchorKMeans documents.
     */
    private static KMeansResult bruteForceLloyd(double[] w, double[] h, double[] initW, double[] initH) {
        int n = w.length;
        int k = initW.length;
        double[] cw = initW.clone();
        double[] ch = initH.clone();
        double[] sumW = new double[k];
        double[] sumH = new double[k];
        int[] count = new int[k];
        int[] assign = new int[n];
        double seedIouSum = 0;
        for (int i = 0; i < n; i++) {
            int j = nearest(w[i], h[i], cw, ch);
            assign[i] = j;
            seedIouSum += 1 - distance(w[i], h[i], cw[j], ch[j]);
            sumW[j] += w[i];
            sumH[j] += h[i];
            count[j]++;
        }
        int passes = 1;
        boolean converged = false;
        while (passes < MAX_ITERATIONS) {
            moveCentres(w, h, cw, ch, sumW, sumH, count);
            int changed = 0;
            for (int i = 0; i < n; i++) {
                int a = assign[i];
                int b = nearest(w[i], h[i], cw, ch);
                if (b != a) {
                    sumW[a] -= w[i];
                    sumH[a] -= h[i];
                    count[a]--;
                    sumW[b] += w[i];
                    sumH[b] += h[i];
                    count[b]++;
                    assign[i] = b;
                    changed++;
                }
            }
            passes++;
            if (changed == 0) {
                converged = true;
                break;
            }
        }
        double iouSum = 0;
        for (int i = 0; i < n; i++) {
            iouSum += Iou.ofShapes(w[i], h[i], cw[assign[i]], ch[assign[i]]);
        }
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> cw[j] * ch[j]).thenComparingDouble(j -> cw[j]));
        List<Shape> centres = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int j : order) {
            centres.add(new Shape(cw[j], ch[j]));
            counts.add(count[j]);
        }
        return new KMeansResult(centres, counts, iouSum / n, seedIouSum / n, passes, converged);
    }

    private static int nearest(double w, double h, double[] cw, double[] ch) {
        int best = 0;
        double bestDistance = distance(w, h, cw[0], ch[0]);
        for (int j = 1; j < cw.length; j++) {
            double d = distance(w, h, cw[j], ch[j]);
            if (d < bestDistance) {
                best = j;
                bestDistance = d;
            }
        }
        return best;
    }

    private static void moveCentres(double[] w, double[] h, double[] cw, double[] ch, double[] sumW,
                                    double[] sumH, int[] count) {
        int k = cw.length;
        for (int j = 0; j < k; j++) {
            if (count[j] > 0) {
                cw[j] = sumW[j] / count[j];
                ch[j] = sumH[j] / count[j];
            }
        }
        for (int j = 0; j < k; j++) {
            if (count[j] > 0) {
                continue;
            }
            int far = 0;
            double farDistance = -1;
            for (int i = 0; i < w.length; i++) {
                double d = Double.POSITIVE_INFINITY;
                for (int q = 0; q < k; q++) {
                    if (count[q] > 0 || q < j) {
                        d = Math.min(d, distance(w[i], h[i], cw[q], ch[q]));
                    }
                }
                if (d > farDistance) {
                    far = i;
                    farDistance = d;
                }
            }
            cw[j] = w[far];
            ch[j] = h[far];
        }
    }
}
