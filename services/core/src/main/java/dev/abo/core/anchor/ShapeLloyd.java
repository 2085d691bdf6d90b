package dev.abo.core.anchor;

import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Lloyd iterations for k-means over box shapes with the distance {@code d = 1 - shapeIoU}
 * (YOLOv2), centres moved to the mean width and mean height of their members.
 *
 * <p>Passes skip points with exact bounds in the spirit of Hamerly (2010, "Making k-means even
 * faster"): {@code 1 - IoU} of two shapes on a common centre is the Jaccard distance of two point
 * sets, a metric, so the triangle inequality proves a point keeps its centre without changing any
 * assignment. When a point is assigned to centre {@code a} we know its distance {@code b} to it and
 * {@code s} to the second nearest centre. Later, after centre {@code a} has moved by {@code U_a} in
 * total and every other centre by at most {@code U_o}, the point is within {@code b + U_a} of its
 * centre and at least {@code s - U_o} from any other, so it keeps its centre while
 * {@code U_a + U_o <= s - b} (minus a rounding slack). Each centre therefore has a clock that
 * advances every pass by its own move plus the largest move among the other centres, and a point
 * gets a deadline on its centre's clock. A pass visits only points whose deadline has come, from an
 * active list of points whose deadline falls within a horizon; late in a run, when centres barely
 * move, that is the few points near cluster borders.
 *
 * <p>Large passes use several threads without changing a single bit of the result: the per-point
 * work (nearest centre, deadline, IoU) is split into contiguous chunks that only write their own
 * points' slots, and everything that adds doubles (centre sums, fitness) then runs on the calling
 * thread in ascending point order, exactly as a sequential pass would. So centres, counts, fitness
 * and the number of passes do not depend on the number of chunks or on thread timing.
 *
 * <p>One instance is a reusable workspace for one data set (primitive arrays of the data size, no
 * per-point allocation); it is not thread safe.
 */
final class ShapeLloyd {
    /**
     * Slack for rounding when comparing bounds: distances lie in [0, 1] and carry errors near 1e-16,
     * clocks are sums of a few hundred such moves, far below this.
     */
    private static final double SLACK = 1e-12;
    /** The active list holds points that could change within about this many passes; also its rebuild period. */
    private static final int HORIZON_PASSES = 16;
    /** Phases over fewer points than this run on the calling thread: handing out chunks would cost more. */
    private static final int MIN_PARALLEL_POINTS = 16_384;

    private final double[] w;
    private final double[] h;
    private final int n;
    private final int[] assign;
    private final double[] deadline;
    private final int[] active;
    /** Per-point values computed in parallel and summed afterwards in point order. */
    private final double[] pointValue;
    /** Points whose centre changed in the current pass, each chunk writing from its own start offset. */
    private final int[] moved;
    private final int[] movedTo;
    private final int parts;
    /** Entries each chunk wrote (moved points, or kept points when rebuilding the active list). */
    private final int[] chunkCount;
    private double[] exact;

    private int k;
    private double[] cw;
    private double[] ch;
    private double[] sumW;
    private double[] sumH;
    private int[] count;
    /** area[j] = cw[j] * ch[j], the same double {@link #distance} computes for centre j. */
    private double[] area;
    /** Per centre: sum over passes of its move plus the largest move of the other centres. */
    private double[] clock;
    /** Per centre: how far its clock advanced in the last pass. */
    private double[] lastStep;
    /** Per centre: the active list holds every point of the centre with a deadline up to this clock value. */
    private double[] horizonEnd;
    private int activeCount;
    private int passesSinceRebuild;

    private int iterations;
    private boolean converged;
    private double seedFitness;
    private double fitness;

    /** A workspace that splits large passes into one chunk per available processor. */
    ShapeLloyd(double[] widths, double[] heights) {
        this(widths, heights, Runtime.getRuntime().availableProcessors());
    }

    /** A workspace that splits large passes into {@code parts} chunks; the results do not depend on it. */
    ShapeLloyd(double[] widths, double[] heights, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        this.w = widths;
        this.h = heights;
        this.n = widths.length;
        this.assign = new int[n];
        this.deadline = new double[n];
        this.active = new int[n];
        this.pointValue = new double[n];
        this.moved = new int[n];
        this.movedTo = new int[n];
        this.parts = parts;
        this.chunkCount = new int[parts];
    }

    static double distance(double aw, double ah, double bw, double bh) {
        return 1 - Iou.ofShapes(aw, ah, bw, bh);
    }

    /**
     * {@link #distance(double, double, double, double)} with both areas given: the same operations
     * in the same order (Java does not fuse or reorder them), so the same double. For positive
     * finite sizes {@code a < b ? a : b} is exactly {@code Math.min(a, b)}, without its NaN and
     * signed-zero checks.
     */
    private static double distance(double aw, double ah, double areaA, double bw, double bh, double areaB) {
        double inter = (aw < bw ? aw : bw) * (ah < bh ? ah : bh);
        return 1 - inter / (areaA + areaB - inter);
    }

    /** Runs Lloyd from the given centres (copied) until no assignment changes or maxIterations passes. */
    void run(double[] initialW, double[] initialH, int maxIterations) {
        k = initialW.length;
        cw = initialW.clone();
        ch = initialH.clone();
        sumW = new double[k];
        sumH = new double[k];
        count = new int[k];
        clock = new double[k];
        lastStep = new double[k];
        horizonEnd = new double[k];
        area = new double[k];
        Arrays.fill(horizonEnd, Double.NEGATIVE_INFINITY);
        converged = false;

        computeAreas();
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

    /** First pass: every distance computed, deadlines set, sums and counts built; returns the mean IoU. */
    private double assignAll() {
        forChunks(n, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                int bestJ = nearest(i);
                assign[i] = bestJ;
                // the same double nearest() compared, so 1 - it is the IoU a sequential pass would sum
                pointValue[i] = 1 - distance(w[i], h[i], cw[bestJ], ch[bestJ]);
            }
        });
        double iouSum = 0;
        for (int i = 0; i < n; i++) {
            int j = assign[i];
            iouSum += pointValue[i];
            sumW[j] += w[i];
            sumH[j] += h[i];
            count[j]++;
        }
        return iouSum / n;
    }

    /** Nearest centre of point i (first on ties); sets the point's deadline. Safe to call from several threads. */
    private int nearest(int i) {
        double wi = w[i];
        double hi = h[i];
        double ai = wi * hi;
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        int bestJ = 0;
        for (int j = 0; j < k; j++) {
            double d = distance(wi, hi, ai, cw[j], ch[j], area[j]);
            // running best (first index on ties) and runner-up, written as selects rather than
            // branches: which centre wins is data dependent and branches on it mispredict often
            boolean better = d < best;
            second = better ? best : (d < second ? d : second);
            bestJ = better ? j : bestJ;
            best = better ? d : best;
        }
        // keeps bestJ while the clock of bestJ advances by at most s - b (see the class comment). Half
        // the gap g from bestJ to its nearest other centre would give no better bound: by the
        // triangle inequality s >= max(b, 2g - b) >= g.
        deadline[i] = clock[bestJ] + (second - SLACK - best);
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
        advanceClocks(oldW, oldH);
        computeAreas();
    }

    /**
     * Advances each centre's clock by its own move plus the largest move among the other centres:
     * the most its members' bound {@code s - b} can have shrunk in this pass.
     */
    private void advanceClocks(double[] oldW, double[] oldH) {
        double[] move = new double[k];
        int largest = 0;
        for (int j = 0; j < k; j++) {
            move[j] = distance(oldW[j], oldH[j], cw[j], ch[j]);
            if (move[j] > move[largest]) {
                largest = j;
            }
        }
        double secondLargest = 0;
        for (int j = 0; j < k; j++) {
            if (j != largest) {
                secondLargest = Math.max(secondLargest, move[j]);
            }
        }
        for (int j = 0; j < k; j++) {
            double othersLargest = j == largest ? secondLargest : move[largest];
            lastStep[j] = move[j] + othersLargest;
            clock[j] += lastStep[j];
        }
    }

    /** area[j] for the current centres. */
    private void computeAreas() {
        for (int j = 0; j < k; j++) {
            area[j] = cw[j] * ch[j];
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
        if (clockPassedHorizon() || ++passesSinceRebuild >= HORIZON_PASSES) {
            passesSinceRebuild = 0;
            for (int j = 0; j < k; j++) {
                horizonEnd[j] = clock[j] + HORIZON_PASSES * lastStep[j];
            }
            rebuildActive();
        }
        int used = forChunks(activeCount, (chunk, from, to) -> {
            int m = from;
            for (int t = from; t < to; t++) {
                int i = active[t];
                if (deadline[i] > clock[assign[i]]) {
                    continue;
                }
                int b = nearest(i);
                if (b != assign[i]) {
                    moved[m] = i;
                    movedTo[m] = b;
                    m++;
                }
            }
            chunkCount[chunk] = m - from;
        });
        return applyMoves(used);
    }

    /**
     * Whether some centre's clock went past its horizon: its members outside the active list may be
     * due, so the list must be rebuilt. Points in the list never leave it before a rebuild, whatever
     * centre they move to.
     */
    private boolean clockPassedHorizon() {
        for (int j = 0; j < k; j++) {
            if (clock[j] > horizonEnd[j]) {
                return true;
            }
        }
        return false;
    }

    /** Active list = points whose deadline falls within their centre's horizon, in ascending order. */
    private void rebuildActive() {
        int used = forChunks(n, (chunk, from, to) -> {
            int m = from;
            for (int i = from; i < to; i++) {
                if (deadline[i] <= horizonEnd[assign[i]]) {
                    active[m++] = i;
                }
            }
            chunkCount[chunk] = m - from;
        });
        activeCount = 0;
        for (int c = 0; c < used; c++) {
            System.arraycopy(active, chunkStart(n, used, c), active, activeCount, chunkCount[c]);
            activeCount += chunkCount[c];
        }
    }

    /**
     * Moves the recorded points between clusters, chunk after chunk: since chunks are consecutive
     * slices of the ascending active list, the sums change in ascending point order, as in a
     * sequential pass. Returns how many points moved.
     */
    private int applyMoves(int used) {
        int changed = 0;
        for (int c = 0; c < used; c++) {
            int from = chunkStart(activeCount, used, c);
            for (int m = from; m < from + chunkCount[c]; m++) {
                int i = moved[m];
                int a = assign[i];
                int b = movedTo[m];
                sumW[a] -= w[i];
                sumH[a] -= h[i];
                count[a]--;
                sumW[b] += w[i];
                sumH[b] += h[i];
                count[b]++;
                assign[i] = b;
            }
            changed += chunkCount[c];
        }
        return changed;
    }

    /** Mean IoU of the points to their centres: IoUs in parallel, summed in point order. */
    private double meanIouToAssigned() {
        forChunks(n, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                int a = assign[i];
                pointValue[i] = Iou.ofShapes(w[i], h[i], cw[a], ch[a]);
            }
        });
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += pointValue[i];
        }
        return sum / n;
    }

    /** Work on the index range [from, to) of a phase, as chunk number {@code chunk}. */
    @FunctionalInterface
    private interface ChunkWork {
        void run(int chunk, int from, int to);
    }

    /**
     * Splits [0, size) into consecutive chunks (see {@link #chunkStart}) and runs the work on each,
     * in parallel when the range is large; returns the number of chunks used. Each chunk must write
     * only its own slots, so the outcome does not depend on which thread ran which chunk or when.
     */
    private int forChunks(int size, ChunkWork work) {
        int used = size >= MIN_PARALLEL_POINTS ? parts : 1;
        if (used == 1) {
            work.run(0, 0, size);
        } else {
            IntStream.range(0, used).parallel()
                    .forEach(c -> work.run(c, chunkStart(size, used, c), chunkStart(size, used, c + 1)));
        }
        return used;
    }

    /** First index of chunk c when [0, size) is cut into {@code chunks} near-equal consecutive pieces. */
    private static int chunkStart(int size, int chunks, int c) {
        return (int) ((long) size * c / chunks);
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
