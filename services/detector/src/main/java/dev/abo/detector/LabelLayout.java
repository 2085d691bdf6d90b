package dev.abo.detector;

/**
 * The label tensor {@code [B, planes(C, K), S, S]} that {@link LabelEncoder} writes and
 * {@link AnchorYoloOutputLayer} reads. Everything spatial is in grid units (1 = one cell =
 * {@code stride} input pixels); anchors and ground truths cross into pixels only at the boundary
 * ({@code log px = log grid + log stride}, so log-space differences and anchor gradients are the
 * same in both units).
 *
 * <p>First the warm-up planes (the same value in every cell), then {@code K} ground-truth slots per
 * cell of {@link #SLOT_PLANES_BEFORE_CLASSES}{@code + C} planes each, slot {@code k} starting at
 * {@link #slotPlane}{@code (k, 0, C)}:
 * <pre>
 *   SOFT_WEIGHT  alpha: r = (1 - alpha) hard + alpha soft
 *   TEMPERATURE  T of Eq. 10
 *   LAMBDA       lambda of Eq. 11
 *   per slot k:
 *     PRESENT      1 if slot k of the cell holds a ground truth (its centre lies in the cell), else 0
 *                  (and all its other planes 0)
 *     OFFSET_X/Y   the centre's offset inside the cell, in [0, 1]
 *     LOG_W/H      log of the ground truth's width/height in grid units
 *     CLASS_0 + c  one-hot class
 * </pre>
 * A cell's ground truths fill its slots from 0 in their input order; the order matters only for a
 * collision (two ground truths of a cell with the same best anchor), where the later slot wins as in
 * core's {@code Assignment.slotOwners()}.
 */
public final class LabelLayout {
    public static final int SOFT_WEIGHT = 0;
    public static final int TEMPERATURE = 1;
    public static final int LAMBDA = 2;
    /** Planes before the first slot. */
    public static final int SCHEDULE_PLANES = 3;

    /** Field offsets inside a slot. */
    public static final int PRESENT = 0;
    public static final int OFFSET_X = 1;
    public static final int OFFSET_Y = 2;
    public static final int LOG_W = 3;
    public static final int LOG_H = 4;
    public static final int CLASS_0 = 5;
    /** Planes of a slot before its class one-hot. */
    public static final int SLOT_PLANES_BEFORE_CLASSES = CLASS_0;

    private LabelLayout() {
    }

    /** Planes of one slot for {@code numClasses} classes. */
    public static int slotPlanes(int numClasses) {
        return SLOT_PLANES_BEFORE_CLASSES + numClasses;
    }

    /** Planes of the label tensor for {@code numClasses} classes and {@code slots} ground truths per cell. */
    public static int planes(int numClasses, int slots) {
        return SCHEDULE_PLANES + slots * slotPlanes(numClasses);
    }

    /** Index of {@code field} (e.g. {@link #LOG_W}, or {@code CLASS_0 + c}) of slot {@code slot}. */
    public static int slotPlane(int slot, int field, int numClasses) {
        return SCHEDULE_PLANES + slot * slotPlanes(numClasses) + field;
    }
}
