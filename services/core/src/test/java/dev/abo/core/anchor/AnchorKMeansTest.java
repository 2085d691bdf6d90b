package dev.abo.core.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnchorKMeansTest {

    private final AnchorKMeans kMeans = new AnchorKMeans();

    @Test
    void repeatedShapesAreFoundExactlyWithFitnessOne() {
        // 100 x (10,10), 50 x (30,60), 70 x (80,40): k-means++ must pick one seed per distinct shape
        // (a repeated shape has d = 0 to itself), every box then has IoU 1 with its centre
        double[][] data = repeat(new double[][] {{10, 10}, {30, 60}, {80, 40}}, new int[] {100, 50, 70});
        for (long seed = 0; seed < 5; seed++) {
            KMeansResult r = kMeans.fit(data[0], data[1], 3, 1, new SplittableRandom(seed));
            assertCentres(r.centres(), new double[][] {{10, 10}, {30, 60}, {80, 40}}, 1e-12); // by area: 100, 1800, 3200
            assertThat(r.counts()).containsExactly(100, 50, 70);
            assertThat(r.fitness()).isCloseTo(1.0, within(1e-12));
            assertThat(r.seedFitness()).isCloseTo(1.0, within(1e-12));
            assertThat(r.converged()).isTrue();
        }
    }

    @Test
    void twoClustersOfTwoBoxesByHand() {
        // A = {(2,2), (4,4)}, B = {(20,10), (20,30)}. Means: A -> (3,3), B -> (20,20).
        // IoUs to own centre: (2,2)/(3,3) = 4/9; (4,4)/(3,3) = 9/16; (20,10)/(20,20) = 200/400 = 1/2;
        // (20,30)/(20,20) = 400/600 = 2/3. Cross IoUs are far lower, e.g. (4,4)/(20,20) = 16/400.
        // fitness = (4/9 + 9/16 + 1/2 + 2/3) / 4 = (64 + 81 + 72 + 96) / 144 / 4 = 313/576.
        // Any k-means++ seed pair reaches this partition (checked by hand for AA, BB and AB seeds).
        double[] w = {2, 4, 20, 20};
        double[] h = {2, 4, 10, 30};
        for (long seed = 0; seed < 20; seed++) {
            KMeansResult r = kMeans.fit(w, h, 2, 1, new SplittableRandom(seed));
            assertCentres(r.centres(), new double[][] {{3, 3}, {20, 20}}, 1e-12);
            assertThat(r.counts()).containsExactly(2, 2);
            assertThat(r.fitness()).isCloseTo(313.0 / 576, within(1e-12));
        }
    }

    @Test
    void emptyClusterIsReseededAtTheFarthestBox() {
        // Same four boxes, both initial centres (3,3): pass 1 puts all boxes in centre 0 (first on ties).
        // Centre 0 -> mean (11.5, 11.5); centre 1 is empty and jumps to the farthest box:
        // d((2,2)) = 1 - 4/132.25 = 0.970 is the largest (d((4,4)) = 0.879, d((20,30)) = 1 - 132.25/600 = 0.780,
        // d((20,10)) = 1 - 115/217.25 = 0.471), so centre 1 = (2,2). Pass 2: (4,4) has IoU 4/16 with (2,2)
        // > 16/132.25 with centre 0, so A = {(2,2),(4,4)} and B as before: centres (3,3) and (20,20).
        KMeansResult r = kMeans.refine(new double[] {2, 4, 20, 20}, new double[] {2, 4, 10, 30},
                List.of(new Shape(3, 3), new Shape(3, 3)));
        assertCentres(r.centres(), new double[][] {{3, 3}, {20, 20}}, 1e-12);
        assertThat(r.counts()).containsExactly(2, 2);
        assertThat(r.converged()).isTrue();
    }

    @Test
    void fitnessIsTheBruteForceMeanBestIouAndBeatsTheSeeds() {
        for (long seed = 0; seed < 5; seed++) {
            double[][] data = logNormalBoxes(5_000, seed);
            KMeansResult r = kMeans.fit(data[0], data[1], 9, 1, new SplittableRandom(100 + seed));
            // independent check: nearest centre by brute force for every box
            int[] counts = new int[9];
            double sum = 0;
            for (int i = 0; i < data[0].length; i++) {
                int best = 0;
                double bestIou = -1;
                for (int j = 0; j < 9; j++) {
                    Shape c = r.centres().get(j);
                    double iou = Iou.ofShapes(data[0][i], data[1][i], c.w(), c.h());
                    if (iou > bestIou) {
                        bestIou = iou;
                        best = j;
                    }
                }
                counts[best]++;
                sum += bestIou;
            }
            assertThat(r.fitness()).isCloseTo(sum / data[0].length, within(1e-12));
            assertThat(r.counts()).containsExactly(Arrays.stream(counts).boxed().toArray(Integer[]::new));
            assertThat(r.fitness()).isGreaterThanOrEqualTo(r.seedFitness());
            assertThat(r.converged()).isTrue();
        }
    }

    @Test
    void refineMatchesAPlainLloydImplementation() {
        // independent method: textbook Lloyd with brute-force assignment and means recomputed each pass
        double[][] data = logNormalBoxes(3_000, 42);
        List<Shape> init = List.of(new Shape(10, 10), new Shape(20, 60), new Shape(60, 20), new Shape(50, 50),
                new Shape(120, 100));
        KMeansResult r = kMeans.refine(data[0], data[1], init);

        double[] cw = init.stream().mapToDouble(Shape::w).toArray();
        double[] ch = init.stream().mapToDouble(Shape::h).toArray();
        int n = data[0].length;
        int[] assign = new int[n];
        Arrays.fill(assign, -1);
        int passes = 0;
        while (true) {
            passes++;
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < cw.length; j++) {
                    if (Iou.ofShapes(data[0][i], data[1][i], cw[j], ch[j])
                            > Iou.ofShapes(data[0][i], data[1][i], cw[best], ch[best])) {
                        best = j;
                    }
                }
                changed |= assign[i] != best;
                assign[i] = best;
            }
            if (!changed) {
                break;
            }
            double[] sw = new double[cw.length];
            double[] sh = new double[cw.length];
            int[] cnt = new int[cw.length];
            for (int i = 0; i < n; i++) {
                sw[assign[i]] += data[0][i];
                sh[assign[i]] += data[1][i];
                cnt[assign[i]]++;
            }
            for (int j = 0; j < cw.length; j++) {
                assertThat(cnt[j]).isPositive(); // this data never empties a cluster
                cw[j] = sw[j] / cnt[j];
                ch[j] = sh[j] / cnt[j];
            }
        }
        double[][] expected = new double[cw.length][];
        for (int j = 0; j < cw.length; j++) {
            expected[j] = new double[] {cw[j], ch[j]};
        }
        Arrays.sort(expected, (a, b) -> Double.compare(a[0] * a[1], b[0] * b[1]));
        assertCentres(r.centres(), expected, 1e-9);
        assertThat(r.iterations()).isEqualTo(passes);
    }

    @Test
    void aSeededGeneratorGivesTheSameResult() {
        double[][] data = logNormalBoxes(4_000, 3);
        // seed sample of 500 < 4000 boxes: also exercises seeding and warm start on a sample
        AnchorKMeans sampled = new AnchorKMeans(300, 500);
        for (AnchorKMeans km : List.of(kMeans, sampled)) {
            KMeansResult a = km.fit(data[0], data[1], 5, 3, new SplittableRandom(9));
            KMeansResult b = km.fit(data[0], data[1], 5, 3, new SplittableRandom(9));
            assertThat(a).isEqualTo(b);
            assertThat(a.counts().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4_000);
        }
    }

    @Test
    void restartsKeepTheBestRun() {
        double[][] data = logNormalBoxes(2_000, 5);
        KMeansResult four = kMeans.fit(data[0], data[1], 6, 4, new SplittableRandom(0));
        KMeansResult first = kMeans.fit(data[0], data[1], 6, 1, new SplittableRandom(0));
        assertThat(four.fitness()).isGreaterThanOrEqualTo(first.fitness());
    }

    @Test
    void moreClustersThanDistinctShapesIsAnError() {
        double[][] data = repeat(new double[][] {{10, 10}, {30, 60}, {80, 40}}, new int[] {100, 50, 70});
        assertThatThrownBy(() -> kMeans.fit(data[0], data[1], 4, 1, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k = 4 exceeds the 3 distinct box shapes");
        // with a seed sample smaller than the data, seeding falls back to all boxes and fails the same way
        assertThatThrownBy(() -> new AnchorKMeans(300, 10).fit(data[0], data[1], 4, 1, new SplittableRandom(1)))
                .hasMessage("k = 4 exceeds the 3 distinct box shapes");
    }

    @Test
    void inputsAreValidatedWithExactMessages() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] ok = {1, 2, 3};
        assertThatThrownBy(() -> kMeans.fit(new double[] {1, Double.NaN, 3}, ok, 2, 1, rng))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("box 1 has size NaNx2.0; widths and heights must be finite and positive");
        assertThatThrownBy(() -> kMeans.fit(ok, new double[] {1, 2, 0}, 2, 1, rng))
                .hasMessage("box 2 has size 3.0x0.0; widths and heights must be finite and positive");
        assertThatThrownBy(() -> kMeans.fit(new double[] {-1, 2, 3}, ok, 2, 1, rng))
                .hasMessage("box 0 has size -1.0x1.0; widths and heights must be finite and positive");
        assertThatThrownBy(() -> kMeans.fit(ok, new double[] {1, 2}, 2, 1, rng))
                .hasMessage("widths and heights differ in length: 3 vs 2");
        assertThatThrownBy(() -> kMeans.fit(ok, ok, 4, 1, rng))
                .hasMessage("k = 4 exceeds the number of boxes (3)");
        assertThatThrownBy(() -> kMeans.fit(ok, ok, 0, 1, rng)).hasMessage("k must be at least 1, got 0");
        assertThatThrownBy(() -> kMeans.fit(ok, ok, 2, 0, rng)).hasMessage("restarts must be at least 1, got 0");
        assertThatThrownBy(() -> new AnchorKMeans(0, 10)).hasMessage("maxIterations must be at least 1, got 0");
        assertThatThrownBy(() -> kMeans.refine(ok, ok, List.of()))
                .hasMessage("refine needs at least one initial centre");
    }

    @Test
    void oneClusterIsTheMeanShape() {
        // k = 1: the centre is the mean (w, h) = ((2+4+6)/3, (8+8+2)/3) = (4, 6)
        KMeansResult r = kMeans.fit(new double[] {2, 4, 6}, new double[] {8, 8, 2}, 1, 1, new SplittableRandom(0));
        assertCentres(r.centres(), new double[][] {{4, 6}}, 1e-12);
        assertThat(r.counts()).containsExactly(3);
        assertThat(r.iterations()).isEqualTo(2);
    }

    @Test
    void iterationLimitStopsARunUnconverged() {
        double[][] data = logNormalBoxes(3_000, 8);
        KMeansResult r = new AnchorKMeans(2, 20_000).fit(data[0], data[1], 9, 1, new SplittableRandom(1));
        assertThat(r.iterations()).isEqualTo(2);
        assertThat(r.converged()).isFalse();
    }

    private static void assertCentres(List<Shape> actual, double[][] expected, double tol) {
        assertThat(actual).hasSize(expected.length);
        for (int j = 0; j < expected.length; j++) {
            assertThat(actual.get(j).w()).as("w of centre %d", j).isCloseTo(expected[j][0], within(tol));
            assertThat(actual.get(j).h()).as("h of centre %d", j).isCloseTo(expected[j][1], within(tol));
        }
    }

    private static double[][] repeat(double[][] shapes, int[] times) {
        int n = Arrays.stream(times).sum();
        double[] w = new double[n];
        double[] h = new double[n];
        int i = 0;
        for (int s = 0; s < shapes.length; s++) {
            for (int t = 0; t < times[s]; t++, i++) {
                w[i] = shapes[s][0];
                h[i] = shapes[s][1];
            }
        }
        return new double[][] {w, h};
    }

    /** Object-like box shapes: log-normal size and aspect ratio, in pixels of a 416 input. */
    static double[][] logNormalBoxes(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            double size = Math.exp(4 + 0.9 * rng.nextGaussian());
            double aspect = Math.exp(0.5 * rng.nextGaussian());
            w[i] = Math.min(416, size * Math.sqrt(aspect));
            h[i] = Math.min(416, size / Math.sqrt(aspect));
        }
        return new double[][] {w, h};
    }
}
