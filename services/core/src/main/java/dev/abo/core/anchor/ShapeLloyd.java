package dev.abo.core.anchor;

import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lloyd iterations for k-means over box shapes with the distance {@code d = 1 - shapeIoU}
 * (YOLOv2), centres moved to the mean width and mean height of their members.
 *
 * <p>Passes skip points with exact bounds in the spirit of Hamerly (2010, "Making k-means even
 * faster"): {@code 1 - IoU} of two shapes on a common centre is the Jaccard distance of two point
 * sets, a metric, so the triangle inequality proves a point keeps its centre without changing any
 * assignment. When a point is assigned we know its distance {@code b} to its centre, {@code s} to
 * the second nearest and half the distance {@code g} from its centre to the nearest other centre; it
 * keeps its centre while {@code b + D' <= max(s, g) - D'}, where {@code D'} is the sum over later
 * passes of the largest centre move. So a point gets a deadline on the cumulative largest move
 * {@code D}, and a pass visits only points whose deadline falls within a horizon; late in a run,
 * when centres barely move, that is the few points near cluster borders.
 *
 * <p>One instance is a reusable workspace for one data set (primitive arrays of the data size, no
 * per-point allocation); it is not thread safe.
 */
final class ShapeLloyd {
    /** Slack for rounding when comparing bounds; distances lie in [0, 1]. */
    private static final double SLACK = 1e-12;
    /** The active list holds points that could change within about this many passes; also its rebuild period. */
    private static final int HORIZON_PASSES = 16;

    private final double[] w;
    private final double[] h;
    private final int n;
    private final int[] assign;
    private final double[] deadline;
    private final int[] active;
    private double[] exact;

    private int k;
    private double[] cw;
    private double[] ch;
    private double[] sumW;
    private double[] sumH;
    private int[] count;
    private double[] half;
    private double maxDriftSum;
    private double lastMaxDrift;
    private int activeCount;
    private double horizonEnd;
    private int passesSinceRebuild;
    private double bestDistance;

    private int iterations;
    private boolean converged;
    private double seedFitness;
    private double fitness;

    ShapeLloyd(double[] widths, double[] heights) {
        this.w = widths;
        this.h = heights;
        this.n = widths.length;
        this.assign = new int[n];
        this.deadline = new double[n];
        this.active = new int[n];
    }

    static double distance(double aw, double ah, double bw, double bh) {
        return 1 - Iou.ofShapes(aw, ah, bw, bh);
    }

    /** Runs Lloyd from the given centres (copied) until no assignment changes or maxIterations passes. */
    void run(double[] initialW, double[] initialH, int maxIterations) {
        k = initialW.length;
        cw = initialW.clone();
        ch = initialH.clone();
        sumW = new double[k];
        sumH = new double[k];
        count = new int[k];
        half = new double[k];
        maxDriftSum = 0;
        horizonEnd = Double.NEGATIVE_INFINITY;
        converged = false;

        computeHalfGaps();
        seedFitness = assignAll();
        iterations = 1;
        int changed = n;
        while (true) {
            if (changed == 0) {
                converged = true;
                break;
            }
            if (iterations >= maxIterations) {
                break;
            }
            updateCentres();
            changed = reassign();
            iterations++;
        }
        fitness = meanIouToAssigned();
    }

    /** First pass: every distance computed, deadlines set, sums and counts built. */
    private double assignAll() {
        double iouSum = 0;
        for (int i = 0; i < n; i++) {
            int bestJ = nearest(i, 0);
            iouSum += 1 - bestDistance;
            assign[i] = bestJ;
            sumW[bestJ] += w[i];
            sumH[bestJ] += h[i];
            count[bestJ]++;
        }
        return iouSum / n;
    }

    /** Nearest centre of point i (first on ties); sets bestDistance and the point's deadline. */
    private int nearest(int i, double now) {
        double wi = w[i];
        double hi = h[i];
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        int bestJ = 0;
        for (int j = 0; j < k; j++) {
            double d = distance(wi, hi, cw[j], ch[j]);
            if (d < best) {
                second = best;
                best = d;
                bestJ = j;
            } else if (d < second) {
                second = d;
            }
        }
        bestDistance = best;
        deadline[i] = now + (Math.max(second, half[bestJ]) - SLACK - best) / 2;
        return bestJ;
    }

    /** Moves centres to the mean width and height of their members; reseeds empty clusters. */
    private void updateCentres() {
        double[] oldW = cw.clone();
        double[] oldH = ch.clone();
        boolean anyEmpty = false;
        for (int j = 0; j < k; j++) {
            if (count[j] > 0) {
                cw[j] = sumW[j] / count[j];
                ch[j] = sumH[j] / count[j];
            } else {
                anyEmpty = true;
            }
        }
        if (anyEmpty) {
            reseedEmpty();
        }
        double maxDrift = 0;
        for (int j = 0; j < k; j++) {
            maxDrift = Math.max(maxDrift, distance(oldW[j], oldH[j], cw[j], ch[j]));
        }
        maxDriftSum += maxDrift;
        lastMaxDrift = maxDrift;
        computeHalfGaps();
    }

    /** half[j] = half the distance from centre j to its nearest other centre (infinite when k = 1). */
    private void computeHalfGaps() {
        for (int j = 0; j < k; j++) {
            double nearest = Double.POSITIVE_INFINITY;
            for (int q = 0; q < k; q++) {
                if (q != j) {
                    nearest = Math.min(nearest, distance(cw[j], ch[j], cw[q], ch[q]));
                }
            }
            half[j] = nearest / 2;
        }
    }

    /**
     * Each empty cluster's centre jumps to the shape of the point farthest from its nearest
     * non-empty centre (first index on ties); the point moves there on the next pass.
     */
    private void reseedEmpty() {
        if (exact == null) {
            exact = new double[n];
        }
        for (int i = 0; i < n; i++) {
            exact[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) {
                    exact[i] = Math.min(exact[i], distance(w[i], h[i], cw[j], ch[j]));
                }
            }
        }
        for (int j = 0; j < k; j++) {
            if (count[j] > 0) {
                continue;
            }
            int far = 0;
            for (int i = 1; i < n; i++) {
                if (exact[i] > exact[far]) {
                    far = i;
                }
            }
            cw[j] = w[far];
            ch[j] = h[far];
            for (int i = 0; i < n; i++) {
                exact[i] = Math.min(exact[i], distance(w[i], h[i], cw[j], ch[j]));
            }
        }
    }

    /** One pass over the points whose deadline has come; returns how many changed cluster. */
    private int reassign() {
        if (maxDriftSum > horizonEnd || ++passesSinceRebuild >= HORIZON_PASSES) {
            passesSinceRebuild = 0;
            horizonEnd = maxDriftSum + HORIZON_PASSES * lastMaxDrift;
            activeCount = 0;
            for (int i = 0; i < n; i++) {
                if (deadline[i] <= horizonEnd) {
                    active[activeCount++] = i;
                }
            }
        }
        double now = maxDriftSum;
        int changed = 0;
        for (int t = 0; t < activeCount; t++) {
            int i = active[t];
            if (deadline[i] > now) {
                continue;
            }
            int a = assign[i];
            int b = nearest(i, now);
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
        return changed;
    }

    private double meanIouToAssigned() {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int a = assign[i];
            sum += Iou.ofShapes(w[i], h[i], cw[a], ch[a]);
        }
        return sum / n;
    }

    double fitness() {
        return fitness;
    }

    double seedFitness() {
        return seedFitness;
    }

    double[] centreWidths() {
        return cw.clone();
    }

    double[] centreHeights() {
        return ch.clone();
    }

    /** The result of the last run, centres sorted by area (ties by width), with the given seed fitness. */
    KMeansResult result(double seedFitnessToReport) {
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (p, q) -> {
            int c = Double.compare(cw[p] * ch[p], cw[q] * ch[q]);
            return c != 0 ? c : Double.compare(cw[p], cw[q]);
        });
        List<Shape> centres = new ArrayList<>(k);
        List<Integer> counts = new ArrayList<>(k);
        for (int j : order) {
            centres.add(new Shape(cw[j], ch[j]));
            counts.add(count[j]);
        }
        return new KMeansResult(centres, counts, fitness, seedFitnessToReport, iterations, converged);
    }
}
