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
     */
    NONE
}
