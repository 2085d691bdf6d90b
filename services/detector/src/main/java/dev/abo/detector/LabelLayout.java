package dev.abo.detector;

/**
 * The label tensor {@code [B, PLANES + C, S, S]} that {@link LabelEncoder} writes and
 * {@link AnchorYoloOutputLayer} reads. Everything spatial is in grid units (1 = one cell =
 * {@code stride} input pixels); anchors and ground truths cross into pixels only at the boundary
 * ({@code log px = log grid + log stride}, so log-space differences and anchor gradients are the
 * same in both units).
 *
 * <p>Per cell (one ground truth per cell at most, see {@link LabelEncoder}):
 * <pre>
 *   PRESENT      1 if a ground truth's centre lies in the cell, else 0 (all other planes 0 too)
 *   OFFSET_X/Y   the centre's offset inside the cell, in [0, 1]
 *   LOG_W/H      log of the ground truth's width/height in grid units
 *   SOFT_WEIGHT  alpha: r = (1 - alpha) hard + alpha soft (same value in every cell)
 *   TEMPERATURE  T of Eq. 10 (every cell)
 *   LAMBDA       lambda of Eq. 11 (every cell)
 *   CLASS_0 + c  one-hot class
 * </pre>
 */
public final class LabelLayout {
    public static final int PRESENT = 0;
    public static final int OFFSET_X = 1;
    public static final int OFFSET_Y = 2;
    public static final int LOG_W = 3;
    public static final int LOG_H = 4;
    public static final int SOFT_WEIGHT = 5;
    public static final int TEMPERATURE = 6;
    public static final int LAMBDA = 7;
    public static final int CLASS_0 = 8;

    private LabelLayout() {
    }

    /** Planes of the label tensor for {@code numClasses} classes. */
    public static int planes(int numClasses) {
        return CLASS_0 + numClasses;
    }
}
