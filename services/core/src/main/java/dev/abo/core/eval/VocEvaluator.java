package dev.abo.core.eval;

import dev.abo.core.data.Dataset;
import dev.abo.core.detect.Detection;
import java.util.List;
import java.util.Map;

/**
 * PASCAL VOC detection evaluation, per class, following the devkit (and py-faster-rcnn's
 * voc_eval.py):
 * <ul>
 *   <li>detections of a class over all images, sorted by score descending; ties keep input order
 *       (dataset image order, then each image's list order);</li>
 *   <li>a detection's best-overlap ground truth is the one of highest IoU among all ground truth of
 *       that class in its image, ignored ones included; on equal IoU the first in the image's
 *       object list;</li>
 *   <li>IoU {@code >=} {@link VocEvalConfig#iouThreshold()}: if that object is ignored the
 *       detection is neither TP nor FP; else TP the first time, FP for later duplicates; below the
 *       threshold (or no ground truth in the image): FP;</li>
 *   <li>recall = TP / number of objects not ignored, precision = TP / max(TP + FP, eps).</li>
 * </ul>
 * Ignored objects are the devkit's {@code difficult} ones and COCO crowd regions ({@code iscrowd}), which VOC
 * does not know: COCO ignores them in matching too, so here they count as difficult (unlike COCO, the overlap
 * with a crowd region is still the IoU and a crowd region is not preferred last; {@link CocoEvaluator} has
 * COCO's rules). A class without ground truth that is not ignored has no AP (the devkit divides by zero and
 * reports NaN or 0); it is left out of the mAP.
 */
public final class VocEvaluator {
    private static final double EPS = Math.ulp(1.0); // np.finfo(np.float64).eps

    private final VocEvalConfig config;

    public VocEvaluator(VocEvalConfig config) {
        this.config = config;
    }

    /**
     * Evaluates {@code detections} (image id -> detections) against the dataset.
     *
     * @throws IllegalArgumentException for detections on an unknown image or of an unknown class
     */
    public VocResult evaluate(Dataset groundTruth, Map<String, List<Detection>> detections) {
        FlatEvalSet f = FlatEvalSet.of(groundTruth, detections);
        int classes = groundTruth.classNames().size();
        double[] ap = new double[classes];
        for (int k = 0; k < classes; k++) {
            ap[k] = classAp(f, k);
        }
        return new VocResult(groundTruth.classNames(), ap);
    }

    /** AP of one class, NaN without ground truth that is not ignored. */
    private double classAp(FlatEvalSet f, int k) {
        int g0 = f.gtStart[k];
        int g1 = f.gtStart[k + 1];
        int npos = 0;
        int[] first = new int[f.images];
        int[] end = new int[f.images];
        for (int g = g1 - 1; g >= g0; g--) {
            first[f.gtImage[g]] = g;
            end[f.gtImage[g]] = Math.max(end[f.gtImage[g]], g + 1);
            if (!ignored(f, g)) {
                npos++;
            }
        }
        if (npos == 0) {
            return Double.NaN;
        }
        int d0 = f.dtStart[k];
        int nd = f.dtStart[k + 1] - d0;
        double[] scores = new double[nd];
        System.arraycopy(f.dtScore, d0, scores, 0, nd);
        int[] order = StableScoreOrder.descending(scores, nd);
        boolean[] used = new boolean[g1 - g0];
        double[] rec = new double[nd];
        double[] prec = new double[nd];
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < nd; i++) {
            int d = d0 + order[i];
            int img = f.dtImage[d];
            double ovmax = Double.NEGATIVE_INFINITY;
            int jmax = -1;
            for (int g = first[img]; g < end[img]; g++) {
                double ov = iou(f, d, g);
                if (ov > ovmax) {
                    ovmax = ov;
                    jmax = g;
                }
            }
            if (jmax >= 0 && ovmax >= config.iouThreshold()) {
                if (!ignored(f, jmax)) {
                    if (!used[jmax - g0]) {
                        used[jmax - g0] = true;
                        tp++;
                    } else {
                        fp++;
                    }
                }
            } else {
                fp++;
            }
            rec[i] = (double) tp / npos;
            prec[i] = tp / Math.max((double) tp + (double) fp, EPS);
        }
        return config.method() == VocApMethod.ELEVEN_POINT_2007 ? elevenPoint(rec, prec) : allPoint(rec, prec);
    }

    /** A difficult object or a crowd region: a detection on it is neither a true nor a false positive. */
    private static boolean ignored(FlatEvalSet f, int g) {
        return f.gtDifficult[g] || f.gtCrowd[g];
    }

    private double iou(FlatEvalSet f, int d, int g) {
        double one = config.pixels() == PixelConvention.INCLUSIVE_PLUS_ONE ? 1 : 0;
        double iw = Math.max(Math.min(f.dtX2[d], f.gtX2[g]) - Math.max(f.dtX1[d], f.gtX1[g]) + one, 0);
        double ih = Math.max(Math.min(f.dtY2[d], f.gtY2[g]) - Math.max(f.dtY1[d], f.gtY1[g]) + one, 0);
        double inter = iw * ih;
        double uni = (f.dtX2[d] - f.dtX1[d] + one) * (f.dtY2[d] - f.dtY1[d] + one)
                + (f.gtX2[g] - f.gtX1[g] + one) * (f.gtY2[g] - f.gtY1[g] + one) - inter;
        return uni > 0 ? inter / uni : 0;
    }

    /** VOC2007: mean of the best precision at recall >= t for t in arange(0, 1.1, 0.1). */
    static double elevenPoint(double[] rec, double[] prec) {
        double ap = 0;
        for (int i = 0; i <= 10; i++) {
            double t = i * 0.1;
            double p = 0;
            for (int j = 0; j < rec.length; j++) {
                if (rec[j] >= t && prec[j] > p) {
                    p = prec[j];
                }
            }
            ap += p / 11;
        }
        return ap;
    }

    /** VOC2010+: area under the precision envelope, summed where recall changes. */
    static double allPoint(double[] rec, double[] prec) {
        int n = rec.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        System.arraycopy(rec, 0, mrec, 1, n);
        System.arraycopy(prec, 0, mpre, 1, n);
        mrec[n + 1] = 1;
        for (int i = n + 1; i > 0; i--) {
            mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
        }
        double ap = 0;
        for (int i = 0; i <= n; i++) {
            if (mrec[i + 1] != mrec[i]) {
                ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
            }
        }
        return ap;
    }
}
