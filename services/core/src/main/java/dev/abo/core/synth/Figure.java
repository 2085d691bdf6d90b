package dev.abo.core.synth;

import dev.abo.core.geometry.Box;

/**
 * A convex plane figure in continuous pixel coordinates, rasterised by {@link Canvas}: pixel
 * {@code (x, y)} belongs to the figure when its centre {@code (x + 0.5, y + 0.5)} lies inside or on
 * the boundary. Convexity makes every row of the figure one interval.
 */
sealed interface Figure permits EllipseFigure, RectFigure, TriangleFigure {

    /** The continuous bounding box of the figure. */
    Box extent();

    /**
     * The figure's horizontal extent on the line {@code y = yc}: writes {@code [xLeft, xRight]} to
     * {@code out[0..1]} and returns true, or returns false when the line misses the figure.
     */
    boolean rowSpan(double yc, double[] out);
}
