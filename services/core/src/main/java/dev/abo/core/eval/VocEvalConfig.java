package dev.abo.core.eval;

/**
 * Settings of the VOC evaluator.
 *
 * @param method       11-point (VOC2007) or all-point (VOC2010+) AP
 * @param iouThreshold a detection is a true positive when its best-overlap ground truth has
 *                     {@code IoU >= iouThreshold} (the MATLAB devkit's {@code ovmax >= minoverlap};
 *                     py-faster-rcnn's voc_eval.py uses {@code >}, which differs only at exact ties)
 * @param pixels       how box sizes are measured for IoU
 */
public record VocEvalConfig(VocApMethod method, double iouThreshold, PixelConvention pixels) {
    public VocEvalConfig {
        if (method == null || pixels == null) {
            throw new IllegalArgumentException("method and pixels are required");
        }
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("iouThreshold must be in (0, 1], got " + iouThreshold);
        }
    }

    /** IoU 0.5, continuous pixels, with the given AP method. */
    public static VocEvalConfig of(VocApMethod method) {
        return new VocEvalConfig(method, 0.5, PixelConvention.CONTINUOUS);
    }
}
