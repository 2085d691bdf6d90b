package dev.abo.core.detect;

import dev.abo.core.geometry.Box;

/** One detected object: a box in image pixels, a class index and a score in [0, 1]. */
public record Detection(Box box, int classId, double score) {
}
