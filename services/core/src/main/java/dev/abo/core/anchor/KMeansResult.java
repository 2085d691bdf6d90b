package dev.abo.core.anchor;

import dev.abo.core.geometry.Shape;
import java.util.List;

/**
 * The outcome of {@link AnchorKMeans}: cluster centres in the pixels of the input shapes, sorted by
 * area (ties by width), with the number of boxes nearest to each.
 *
 * @param centres     cluster centres, smallest area first
 * @param counts      boxes assigned to each centre, aligned with {@code centres}
 * @param fitness     mean over boxes of the best shape IoU to any centre ("Avg IoU" of YOLOv2, Table 1)
 * @param seedFitness the same measure for the initial centres of the kept run
 * @param iterations  assignment passes of the kept run, the initial one included
 * @param converged   whether the kept run stopped because its last pass changed no assignment
 *                    (otherwise it hit the iteration limit)
 */
public record KMeansResult(List<Shape> centres, List<Integer> counts, double fitness, double seedFitness,
                           int iterations, boolean converged) {

    public KMeansResult {
        centres = List.copyOf(centres);
        counts = List.copyOf(counts);
        if (centres.size() != counts.size()) {
            throw new IllegalArgumentException("centres and counts differ in length: " + centres.size() + " vs "
                    + counts.size());
        }
    }

    /** The centres as an anchor set at the input size the fitted shapes were measured in. */
    public AnchorSet anchors(int inputWidth, int inputHeight) {
        return new AnchorSet(centres, inputWidth, inputHeight);
    }
}
