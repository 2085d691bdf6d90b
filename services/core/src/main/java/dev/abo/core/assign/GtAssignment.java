package dev.abo.core.assign;

import java.util.Arrays;

/**
 * Where one ground-truth box went: its grid cell, the weight {@code delta_k} of each anchor of that
 * cell (paper Eq. 10; one-hot when hard) and the responsible (largest-weight, lowest index on ties)
 * anchor.
 *
 * @param gtIndex the box's index in the list given to {@link AssignmentPolicy#assign}
 * @param cellX   grid column, {@code 0 <= cellX < gridW}
 * @param cellY   grid row, {@code 0 <= cellY < gridH}
 * @param weights one weight per anchor, summing to 1 (a copy is kept and returned)
 * @param anchor  the responsible anchor index
 */
public record GtAssignment(int gtIndex, int cellX, int cellY, double[] weights, int anchor) {

    public GtAssignment {
        weights = weights.clone();
        if (anchor < 0 || anchor >= weights.length) {
            throw new IllegalArgumentException("anchor " + anchor + " outside 0.." + (weights.length - 1));
        }
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The weight of anchor {@code k}, without copying. */
    public double weight(int k) {
        return weights[k];
    }

    /** True when {@code other} is in the same cell and has the same responsible anchor. */
    public boolean sameSlot(GtAssignment other) {
        return cellX == other.cellX && cellY == other.cellY && anchor == other.anchor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtAssignment g && gtIndex == g.gtIndex && cellX == g.cellX && cellY == g.cellY
                && anchor == g.anchor && Arrays.equals(weights, g.weights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * gtIndex + cellX) + cellY) + anchor) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "GtAssignment[gt=" + gtIndex + ", cell=(" + cellX + "," + cellY + "), weights="
                + Arrays.toString(weights) + ", anchor=" + anchor + "]";
    }
}
