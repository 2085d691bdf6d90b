package dev.abo.core.eval;

/**
 * pycocotools' evaluateImg and accumulate for one category: per image, greedy matching of
 * score-sorted detections to ground truth at each IoU threshold and area range; then, over all
 * images, the precision/recall curve sampled at the recall thresholds.
 */
final class CocoCategoryEval {
    private static final AreaRange[] AREAS = AreaRange.values();
    private static final int MAX_DET = CocoEvaluator.MAX_DETS[CocoEvaluator.MAX_DETS.length - 1];
    private static final byte IGNORED = 0;
    private static final byte TRUE_POSITIVE = 1;
    private static final byte FALSE_POSITIVE = 2;

    private final FlatEvalSet f;
    private final int k;
    private final double[] iouThr;
    private final double[] recThr;
    private final int areas = AREAS.length;
    private final int thresholds;

    // per kept detection position p (images in order, each image's top MAX_DET by score)
    private final double[] pScore;
    private final int[] pRank;
    private final byte[][] outcome; // [area * T + t][p]: TRUE_POSITIVE, FALSE_POSITIVE or IGNORED
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
        outcome = new byte[areas * thresholds][maxPositions];
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
                byte[] row = outcome[a * thresholds + t];
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
                        // unmatched: FP, unless outside the area range
                        row[p] = range.contains(dtArea[j]) ? FALSE_POSITIVE : IGNORED;
                    } else {
                        // matched to an ignored gt (crowd or outside the range): ignored
                        row[p] = gtIgnore[m] ? IGNORED : TRUE_POSITIVE;
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

    /**
     * accumulate: one precision curve and one recall per (area, maxDets, IoU threshold).
     *
     * <p>Computes pycocotools' numbers without materialising rc/pr: rc = tp / npig changes only at
     * true positives, so {@code searchsorted(rc, r, 'left')} lands on the first position where tp
     * reaches the smallest count v with {@code v / npig >= r} (the same double division), or on
     * position 0 for v = 0; and the precision envelope there is the maximum of pr over the true
     * positives from that one on (pr only rises at a true positive), 0 if there are none.
     */
    private void accumulate(CocoAccumulation acc) {
        int[] order = StableScoreOrder.descending(pScore, positions);
        int[] rank = new int[positions];
        for (int i = 0; i < positions; i++) {
            rank[i] = pRank[order[i]];
        }
        byte[] sorted = new byte[positions];
        double[] prAtTp = new double[positions + 2]; // index v = tp count, 1-based
        double eps = Math.ulp(1.0); // np.spacing(1)
        int recalls = recThr.length;
        for (int a = 0; a < areas; a++) {
            int npig = nonIgnoredGt[a];
            if (npig == 0) {
                continue; // pycocotools leaves -1
            }
            double[][] precision = new double[CocoEvaluator.MAX_DETS.length][thresholds * recalls];
            double[][] recall = new double[CocoEvaluator.MAX_DETS.length][thresholds];
            for (int t = 0; t < thresholds; t++) {
                byte[] row = outcome[a * thresholds + t];
                for (int i = 0; i < positions; i++) {
                    sorted[i] = row[order[i]];
                }
                for (int m = 0; m < CocoEvaluator.MAX_DETS.length; m++) {
                    int maxDet = CocoEvaluator.MAX_DETS[m];
                    int n = 0;
                    int tp = 0;
                    int fp = 0;
                    for (int i = 0; i < positions; i++) {
                        if (rank[i] >= maxDet) {
                            continue;
                        }
                        n++;
                        byte o = sorted[i];
                        if (o == TRUE_POSITIVE) {
                            tp++;
                            prAtTp[tp] = tp / ((double) fp + (double) tp + eps);
                        } else if (o == FALSE_POSITIVE) {
                            fp++;
                        }
                    }
                    recall[m][t] = n > 0 ? (double) tp / npig : 0;
                    if (n == 0) {
                        continue; // no position at all: precision stays 0
                    }
                    // envelope: suffix maximum over the true positives
                    prAtTp[tp + 1] = 0;
                    for (int v = tp; v >= 1; v--) {
                        prAtTp[v] = Math.max(prAtTp[v], prAtTp[v + 1]);
                    }
                    double[] table = precision[m];
                    int v = 0;
                    for (int r = 0; r < recalls; r++) {
                        while (v <= tp && (double) v / npig < recThr[r]) {
                            v++;
                        }
                        if (v > tp) {
                            break; // searchsorted ran off the end: pycocotools leaves the rest 0
                        }
                        table[t * recalls + r] = prAtTp[Math.max(v, 1)];
                    }
                }
            }
            for (int m = 0; m < CocoEvaluator.MAX_DETS.length; m++) {
                acc.put(k, a, m, precision[m], recall[m]);
            }
        }
    }
}
