package dev.abo.core.anchor;

import dev.abo.core.geometry.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * k-means over box shapes with the distance {@code d = 1 - IoU} of two shapes on a common centre,
 * the anchor initialisation of YOLOv2 (Redmon and Farhadi, YOLO9000, Sec. 2 "Dimension Clusters";
 * the "k-means" rows of the paper's Tables 1-3).
 *
 * <ul>
 *   <li>Seeding: k-means++ (Arthur and Vassilvitskii 2007): the first centre uniformly, each next one
 *       with probability proportional to {@code d^2} to its nearest chosen centre; on a sample for
 *       large data (below). If the sample holds fewer than {@code k} distinct shapes, seeding falls
 *       back to all boxes.</li>
 *   <li>Lloyd iterations: assign each box to its nearest centre, then move each centre to the
 *       <em>mean width and mean height</em> of its members. This is YOLOv2's convention; note the
 *       mean is not the shape that maximises the members' IoU, so the fitness is not guaranteed to
 *       rise at every step (on tiny data it can end below the seeds' fitness, which the result
 *       reports as {@link KMeansResult#seedFitness()}).</li>
 *   <li>An empty cluster is reseeded at the box farthest from its nearest centre.</li>
 *   <li>A run stops when a pass changes no assignment, or after {@code maxIterations} passes.</li>
 *   <li>{@code restarts} independent runs; the one with the best fitness (mean best IoU, the "Avg
 *       IoU" of YOLOv2) is kept, the first on ties.</li>
 * </ul>
 * Deterministic for a given generator state. Widths and heights are in any consistent unit (input
 * pixels in this project).
 *
 * <p>Large data: when there are more boxes than {@code seedSampleSize}, each run first seeds and runs
 * Lloyd to convergence on a uniform sample (with replacement) of that size, then continues Lloyd on
 * all boxes from the sample's centres; {@link KMeansResult#seedFitness()} is then measured on the
 * sample and {@link KMeansResult#iterations()} counts the passes over all boxes. Passes work on
 * primitive arrays and skip boxes that provably keep their centre (see {@code ShapeLloyd}); large
 * passes use all processors, with every sum still taken in box order, so the result is the same
 * to the last bit on any machine.
 */
public final class AnchorKMeans {
    public static final int DEFAULT_MAX_ITERATIONS = 300;
    public static final int DEFAULT_SEED_SAMPLE_SIZE = 20_000;

    private final int maxIterations;
    private final int seedSampleSize;

    /** k-means with {@value #DEFAULT_MAX_ITERATIONS} passes at most and seeding on {@value #DEFAULT_SEED_SAMPLE_SIZE} boxes. */
    public AnchorKMeans() {
        this(DEFAULT_MAX_ITERATIONS, DEFAULT_SEED_SAMPLE_SIZE);
    }

    public AnchorKMeans(int maxIterations, int seedSampleSize) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        if (seedSampleSize < 1) {
            throw new IllegalArgumentException("seedSampleSize must be at least 1, got " + seedSampleSize);
        }
        this.maxIterations = maxIterations;
        this.seedSampleSize = seedSampleSize;
    }

    /**
     * Clusters the shapes {@code (widths[i], heights[i])} into {@code k} centres.
     *
     * @throws IllegalArgumentException for non-finite or non-positive sizes, arrays of different
     *                                  lengths, {@code k < 1}, {@code restarts < 1}, or fewer boxes or
     *                                  distinct shapes than {@code k}
     */
    public KMeansResult fit(double[] widths, double[] heights, int k, int restarts, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be at least 1, got " + restarts);
        }
        checkShapes(widths, heights);
        if (widths.length < k) {
            throw new IllegalArgumentException("k = " + k + " exceeds the number of boxes (" + widths.length + ")");
        }
        ShapeLloyd full = new ShapeLloyd(widths, heights);
        KMeansResult best = null;
        for (int r = 0; r < restarts; r++) {
            KMeansResult run = runOnce(widths, heights, k, rng, full);
            if (best == null || run.fitness() > best.fitness()) {
                best = run;
            }
        }
        return best;
    }

    /** One seeded run: on a sample first when the data is larger than the seed sample. */
    private KMeansResult runOnce(double[] w, double[] h, int k, RandomGenerator rng, ShapeLloyd full) {
        double[] seedW = new double[k];
        double[] seedH = new double[k];
        int n = w.length;
        if (n > seedSampleSize) {
            double[] sw = new double[seedSampleSize];
            double[] sh = new double[seedSampleSize];
            for (int s = 0; s < seedSampleSize; s++) {
                int i = rng.nextInt(n);
                sw[s] = w[i];
                sh[s] = h[i];
            }
            if (seedPlusPlus(sw, sh, k, rng, seedW, seedH) == k) {
                ShapeLloyd sample = new ShapeLloyd(sw, sh);
                sample.run(seedW, seedH, maxIterations);
                full.run(sample.centreWidths(), sample.centreHeights(), maxIterations);
                return full.result(sample.seedFitness());
            }
        }
        int distinct = seedPlusPlus(w, h, k, rng, seedW, seedH);
        if (distinct < k) {
            throw new IllegalArgumentException("k = " + k + " exceeds the " + distinct + " distinct box shapes");
        }
        full.run(seedW, seedH, maxIterations);
        return full.result(full.seedFitness());
    }

    /**
     * Lloyd iterations from given centres (no seeding): for example to refine learned anchors on
     * new data. With fewer distinct shapes than centres, some centres end with a count of 0.
     */
    public KMeansResult refine(double[] widths, double[] heights, List<Shape> initialCentres) {
        checkShapes(widths, heights);
        if (initialCentres.isEmpty()) {
            throw new IllegalArgumentException("refine needs at least one initial centre");
        }
        if (widths.length < initialCentres.size()) {
            throw new IllegalArgumentException("k = " + initialCentres.size() + " exceeds the number of boxes ("
                    + widths.length + ")");
        }
        double[] cw = initialCentres.stream().mapToDouble(Shape::w).toArray();
        double[] ch = initialCentres.stream().mapToDouble(Shape::h).toArray();
        ShapeLloyd lloyd = new ShapeLloyd(widths, heights);
        lloyd.run(cw, ch, maxIterations);
        return lloyd.result(lloyd.seedFitness());
    }

    private static void checkShapes(double[] widths, double[] heights) {
        Objects.requireNonNull(widths, "widths");
        Objects.requireNonNull(heights, "heights");
        if (widths.length != heights.length) {
            throw new IllegalArgumentException("widths and heights differ in length: " + widths.length + " vs "
                    + heights.length);
        }
        for (int i = 0; i < widths.length; i++) {
            double w = widths[i];
            double h = heights[i];
            if (!(w > 0) || !(h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
                throw new IllegalArgumentException("box " + i + " has size " + w + "x" + h
                        + "; widths and heights must be finite and positive");
            }
        }
    }

    /**
     * k-means++ seeds into seedW/seedH; returns how many it placed: {@code k}, or fewer when the
     * boxes hold fewer distinct shapes (then that number of distinct shapes).
     */
    private static int seedPlusPlus(double[] w, double[] h, int k, RandomGenerator rng,
                                    double[] seedW, double[] seedH) {
        int m = w.length;
        double[] d2 = new double[m];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        int first = rng.nextInt(m);
        seedW[0] = w[first];
        seedH[0] = h[first];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int s = 0; s < m; s++) {
                double d = ShapeLloyd.distance(w[s], h[s], seedW[c - 1], seedH[c - 1]);
                d2[s] = Math.min(d2[s], d * d);
                total += d2[s];
            }
            if (!(total > 0)) {
                return c;
            }
            double target = rng.nextDouble() * total;
            int pick = -1;
            double cum = 0;
            for (int s = 0; s < m; s++) {
                if (d2[s] > 0) {
                    pick = s;
                    cum += d2[s];
                    if (cum > target) {
                        break;
                    }
                }
            }
            seedW[c] = w[pick];
            seedH[c] = h[pick];
        }
        return k;
    }
}
