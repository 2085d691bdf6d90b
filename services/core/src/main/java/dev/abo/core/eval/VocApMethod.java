package dev.abo.core.eval;

/** How the VOC evaluator turns a precision/recall curve into an average precision. */
public enum VocApMethod {
    /**
     * VOC2007: mean over the 11 recall levels {@code numpy.arange(0, 1.1, 0.1)} (so 0.3 is
     * 0.30000000000000004) of the highest precision at recall >= that level, 0 where none.
     */
    ELEVEN_POINT_2007,
    /** VOC2010+: exact area under the precision envelope (precision made monotone from the right). */
    ALL_POINT
}
