package dev.abo.core.eval;

/**
 * pycocotools' evaluateImg and accumulate for one category: per image, greedy matching of
 * score-sorted detections to ground truth at each IoU threshold and area range; then, over all
 * images, the precision/recall curve sampled at the recall thresholds.
 */
final class CocoCategoryEval {
    private static final AreaRange[] AREAS = AreaRange.values();
    private static final int MAX_DET = CocoEvaluator.MAX_DETS[CocoEvaluator.MAX_DETS.length - 1];

    private final FlatEvalSet f;
    private final int k;
    private final double[] iouThr;
    private final double[] recThr;
    private final int areas = AREAS.length;
    private final int thresholds;

    // per kept detection position p (images in order, each image's top MAX_DET by score)
    private final double[] pScore;
    private final int[] pRank;
    private final boolean[][] matched; // [area * T + t][p]
    private final boolean[][] ignored; // [area * T + t][p]
    private final int[] nonIgnoredGt = new int[AREAS.length];
    private int positions;

    CocoCategoryEval(FlatEvalSet flat, int category, double[] iouThresholds, double[] recallThresholds) {
        this.f = flat;
        this.k = category;
        this.iouThr = iouThresholds;
        this.recThr = recallThresholds;
        this.thresholds = iouThresholds.length;
        int maxPositions = flat.dtStart[k + 1] - flat.dtStart[k];
        pScore = new double[maxPositions];
        pRank = new int[maxPositions];
        matched = new boolean[areas * thresholds][maxPositions];
        ignored = new boolean[areas * thresholds][maxPositions];
    }

    void run(CocoAccumulation acc) {
        int g0 = f.gtStart[k];
        int g1 = f.gtStart[k + 1];
        int d0 = f.dtStart[k];
        int d1 = f.dtStart[k + 1];
        int gi = g0;
        int di = d0;
        while (gi < g1 || di < d1) {
            int image = Math.min(gi < g1 ? f.gtImage[gi] : Integer.MAX_VALUE, di < d1 ? f.dtImage[di] : Integer.MAX_VALUE);
            int ge = gi;
            while (ge < g1 && f.gtImage[ge] == image) {
                ge++;
            }
            int de = di;
            while (de < d1 && f.dtImage[de] == image) {
                de++;
            }
            evaluateImage(gi, ge, di, de);
            gi = ge;
            di = de;
        }
        accumulate(acc);
    }

    /** evaluateImg for every area range; ground truth {@code [g0,g1)}, detections {@code [d0,d1)}. */
    private void evaluateImage(int g0, int g1, int d0, int d1) {
        double[] localScore = new double[d1 - d0];
        System.arraycopy(f.dtScore, d0, localScore, 0, d1 - d0);
        int[] order = StableScoreOrder.descending(localScore, d1 - d0);
        int nd = Math.min(order.length, MAX_DET);
        int ng = g1 - g0;
        double[] ious = new double[nd * ng];
        double[] dtArea = new double[nd];
        for (int j = 0; j < nd; j++) {
            int d = d0 + order[j];
            double dw = f.dtX2[d] - f.dtX1[d];
            double dh = f.dtY2[d] - f.dtY1[d];
            dtArea[j] = dw * dh;
            for (int g = 0; g < ng; g++) {
                ious[j * ng + g] = iou(d, g0 + g, dtArea[j]);
            }
            pScore[positions + j] = f.dtScore[d];
            pRank[positions + j] = j;
        }
        boolean[] gtIgnore = new boolean[ng];
        int[] gtOrder = new int[ng];
        boolean[] gtMatched = new boolean[ng];
        for (int a = 0; a < areas; a++) {
            AreaRange range = AREAS[a];
            // gts sorted non-ignored first, stable (numpy mergesort on the 0/1 ignore flag)
            int n = 0;
            for (int g = 0; g < ng; g++) {
                if (!f.gtCrowd[g0 + g] && range.contains(f.gtArea[g0 + g])) {
                    gtOrder[n++] = g;
                }
            }
            nonIgnoredGt[a] += n;
            for (int g = 0; g < ng; g++) {
                if (f.gtCrowd[g0 + g] || !range.contains(f.gtArea[g0 + g])) {
                    gtOrder[n++] = g;
                }
            }
            for (int s = 0; s < ng; s++) {
                int g = gtOrder[s];
                gtIgnore[s] = f.gtCrowd[g0 + g] || !range.contains(f.gtArea[g0 + g]);
            }
            for (int t = 0; t < thresholds; t++) {
                boolean[] mRow = matched[a * thresholds + t];
                boolean[] iRow = ignored[a * thresholds + t];
                java.util.Arrays.fill(gtMatched, false);
                for (int j = 0; j < nd; j++) {
                    double best = Math.min(iouThr[t], 1 - 1e-10);
                    int m = -1;
                    for (int s = 0; s < ng; s++) {
                        int g = gtOrder[s];
                        if (gtMatched[s] && !f.gtCrowd[g0 + g]) {
                            continue; // already matched and not a crowd
                        }
                        if (m > -1 && !gtIgnore[m] && gtIgnore[s]) {
                            break; // matched a regular gt; only ignored ones follow
                        }
                        double v = ious[j * ng + g];
                        if (v < best) {
                            continue;
                        }
                        best = v; // ties: a later gt with equal IoU takes over, as in pycocotools
                        m = s;
                    }
                    int p = positions + j;
                    if (m == -1) {
                        mRow[p] = false;
                        iRow[p] = !range.contains(dtArea[j]);
                    } else {
                        mRow[p] = true;
                        iRow[p] = gtIgnore[m];
                        gtMatched[m] = true;
                    }
                }
            }
        }
        positions += nd;
    }

    /** pycocotools' bbIou: intersection over union, or over the detection area for a crowd gt. */
    private double iou(int d, int g, double dtArea) {
        double w = Math.min(f.dtX2[d], f.gtX2[g]) - Math.max(f.dtX1[d], f.gtX1[g]);
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(f.dtY2[d], f.gtY2[g]) - Math.max(f.dtY1[d], f.gtY1[g]);
        if (h <= 0) {
            return 0;
        }
        double inter = w * h;
        if (f.gtCrowd[g]) {
            return inter / dtArea;
        }
        double gtArea = (f.gtX2[g] - f.gtX1[g]) * (f.gtY2[g] - f.gtY1[g]);
        return inter / (dtArea + gtArea - inter);
    }

    /** accumulate: one precision curve and one recall per (area, maxDets, IoU threshold). */
    private void accumulate(CocoAccumulation acc) {
        int[] order = StableScoreOrder.descending(pScore, positions);
        double[] rc = new double[positions];
        double[] pr = new double[positions];
        double eps = Math.ulp(1.0); // np.spacing(1)
        int recalls = recThr.length;
        for (int a = 0; a < areas; a++) {
            int npig = nonIgnoredGt[a];
            if (npig == 0) {
                continue; // pycocotools leaves -1
            }
            for (int m = 0; m < CocoEvaluator.MAX_DETS.length; m++) {
                int maxDet = CocoEvaluator.MAX_DETS[m];
                double[] precision = new double[thresholds * recalls];
                double[] recall = new double[thresholds];
                for (int t = 0; t < thresholds; t++) {
                    boolean[] mRow = matched[a * thresholds + t];
                    boolean[] iRow = ignored[a * thresholds + t];
                    int n = 0;
                    long tp = 0;
                    long fp = 0;
                    for (int p : order) {
                        if (pRank[p] >= maxDet) {
                            continue;
                        }
                        if (!iRow[p]) {
                            if (mRow[p]) {
                                tp++;
                            } else {
                                fp++;
                            }
                        }
                        rc[n] = (double) tp / npig;
                        pr[n] = tp / ((double) fp + (double) tp + eps);
                        n++;
                    }
                    recall[t] = n > 0 ? rc[n - 1] : 0;
                    for (int i = n - 1; i > 0; i--) {
                        if (pr[i] > pr[i - 1]) {
                            pr[i - 1] = pr[i];
                        }
                    }
                    // searchsorted(rc, recThr, side='left'): first i with rc[i] >= threshold
                    int i = 0;
                    for (int r = 0; r < recalls; r++) {
                        while (i < n && rc[i] < recThr[r]) {
                            i++;
                        }
                        if (i >= n) {
                            break; // pycocotools' IndexError: the rest stays 0
                        }
                        precision[t * recalls + r] = pr[i];
                    }
                }
                acc.put(k, a, m, precision, recall);
            }
        }
    }
}
