package dev.abo.core.augment;

/**
 * Every setting of training-time augmentation (the paper's Sec. 4.1: "the same data augmentation
 * techniques as in YOLOv2, including random jittering, scaling, and random hue, exposure, saturation
 * change"; defaults are darknet's yolo-voc.cfg). Validated on construction by building the components,
 * whose messages name the bad field.
 *
 * @param outputWidth        network input width, pixels (e.g. 416; Brainwash crops 320)
 * @param outputHeight       network input height, pixels
 * @param jitter             largest crop side offset, fraction of the source size, [0, 0.5) (0.2)
 * @param scaling            {@link Scaling#RANDOM} (VOC, COCO), {@link Scaling#NONE} (Brainwash at its own resolution, Sec. 4.2.3)
 *                           or {@link Scaling#FIT} (a still camera fitted to a smaller input)
 * @param flipProbability    probability of a left-right flip, [0, 1] (0.5)
 * @param hue                largest hue rotation, fraction of the hue circle, [0, 0.5] (0.1)
 * @param saturation         saturation factor range {@code [1/saturation, saturation]}, >= 1 (1.5)
 * @param exposure           value factor range {@code [1/exposure, exposure]}, >= 1 (1.5)
 * @param minVisibleFraction a cropped box is dropped below this fraction of its area visible, [0, 1] (0.2)
 * @param minBoxSidePx       a cropped box is dropped when narrower or lower than this, output pixels (1)
 * @param fillRgb            colour of crop parts outside the source, {@code 0xRRGGBB} (grey 127)
 */
public record AugmentConfig(int outputWidth, int outputHeight, double jitter, Scaling scaling, double flipProbability,
                            double hue, double saturation, double exposure, double minVisibleFraction,
                            double minBoxSidePx, int fillRgb) {

    public AugmentConfig {
        jitterCrop(outputWidth, outputHeight, jitter, scaling, flipProbability, fillRgb);
        new HsvJitter(hue, saturation, exposure);
        new VisibilityRule(minVisibleFraction, minBoxSidePx);
    }

    /** YOLOv2's settings at the given input size: jitter 0.2, random scaling, flip 0.5, hue 0.1, s = e = 1.5. */
    public static AugmentConfig yolov2(int outputWidth, int outputHeight) {
        return new AugmentConfig(outputWidth, outputHeight, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5,
                VisibilityRule.DEFAULT.minVisibleFraction(), VisibilityRule.DEFAULT.minBoxSidePx(), AffineCrop.GREY_127);
    }

    /** This config with another scaling mode. */
    public AugmentConfig withScaling(Scaling newScaling) {
        return new AugmentConfig(outputWidth, outputHeight, jitter, newScaling, flipProbability, hue, saturation,
                exposure, minVisibleFraction, minBoxSidePx, fillRgb);
    }

    /** The random crop and flip. */
    public JitterCrop jitterCrop() {
        return jitterCrop(outputWidth, outputHeight, jitter, scaling, flipProbability, fillRgb);
    }

    /** The random colour change. */
    public HsvJitter hsvJitter() {
        return new HsvJitter(hue, saturation, exposure);
    }

    /** Which cropped boxes are kept. */
    public VisibilityRule visibilityRule() {
        return new VisibilityRule(minVisibleFraction, minBoxSidePx);
    }

    private static JitterCrop jitterCrop(int w, int h, double jitter, Scaling scaling, double flip, int fill) {
        return new JitterCrop(jitter, scaling, flip, w, h, fill);
    }
}
