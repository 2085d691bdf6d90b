package dev.abo.core.augment;

/** Whether a training crop changes the scale of the source (see {@link JitterCrop}). */
public enum Scaling {
    /**
     * Darknet's jitter: each side of the crop window moves independently, so scale, aspect ratio and
     * position all change; the window is stretched to the output (YOLOv2, the paper's VOC and COCO runs).
     */
    RANDOM,
    /**
     * No random scaling (the paper's Brainwash run, Sec. 4.2.3, still camera): the window has exactly the
     * output's size in source pixels (one source pixel per input pixel), only its position is random.
     * Consistent with an evaluation at the source's own resolution (the paper tests Brainwash at 640, its
     * native size); NOT with an evaluation that fits the whole frame to a smaller input.
     */
    NONE,
    /**
     * No random scaling relative to the evaluation's fit of the whole frame to the input ({@link Stretch}):
     * the window is the whole source frame, only its position is random, and it is stretched to the
     * output. Objects therefore have the size in input pixels they have at evaluation. This is the still
     * camera of Sec. 4.2.3 when frames are shown to the network downscaled: with {@link #NONE} a network
     * shown 128x128 crops of 320x240 frames trains on heads 2.5x larger than the fitted frames it is
     * evaluated on.
     */
    FIT
}
