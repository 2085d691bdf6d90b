package dev.abo.core.eval;

/** How the VOC evaluator measures box sizes for IoU. */
public enum PixelConvention {
    /** Continuous corners: width = x2 - x1 (the domain's convention). */
    CONTINUOUS,
    /**
     * The devkit's integer-pixel convention: width = x2 - x1 + 1, for boxes that hold VOC's
     * inclusive pixel indices. Boxes already converted to continuous corners (x1 = xmin - 1,
     * x2 = xmax) give the devkit's numbers with {@link #CONTINUOUS}.
     */
    INCLUSIVE_PLUS_ONE
}
