package dev.abo.core.geometry;

/**
 * One cell of the detector's output grid: column {@code x} and row {@code y}, counted from the
 * top-left, in grid units (a cell spans {@code [x * stride, (x + 1) * stride)} input pixels).
 */
public record GridCell(int x, int y) {

    public GridCell {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException("grid cell indices must be non-negative, got (" + x + ", " + y + ")");
        }
    }
}
