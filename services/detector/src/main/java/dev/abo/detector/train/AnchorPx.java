package dev.abo.detector.train;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;

/** An anchor shape in pixels of the network input (JSON- and CSV-friendly). */
public record AnchorPx(double w, double h) {

    public static List<AnchorPx> of(AnchorSet anchors) {
        List<AnchorPx> out = new ArrayList<>(anchors.size());
        for (Shape s : anchors.shapes()) {
            out.add(new AnchorPx(s.w(), s.h()));
        }
        return out;
    }

    public static AnchorSet toSet(List<AnchorPx> anchors, int inputSize) {
        return AnchorSet.of(anchors.stream().map(a -> new Shape(a.w(), a.h())).toList(), inputSize);
    }
}
