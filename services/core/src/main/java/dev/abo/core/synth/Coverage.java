package dev.abo.core.synth;

import dev.abo.core.geometry.Box;

/**
 * The pixels one figure covered when it was painted.
 *
 * @param pixelBox the exact bounding box of the covered pixels (integer corners; a pixel
 *                 {@code (x, y)} is the square {@code [x, x+1] x [y, y+1]})
 * @param pixels   number of covered pixels
 */
record Coverage(Box pixelBox, int pixels) {
}
