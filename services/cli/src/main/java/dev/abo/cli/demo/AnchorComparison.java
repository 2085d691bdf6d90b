package dev.abo.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.core.stats.AnchorStatistics;

/**
 * Anchor sets next to each other, each scored by YOLOv2's average best IoU against the camera's boxes before
 * the drift and after it (the boxes the camera put on the topic, {@link CameraBoxes}); plus the IoU k-means
 * anchors of each phase's boxes, the best a fixed set of that size could do on that phase (up to k-means' local optima).
 */
final class AnchorComparison {

    static final int KMEANS_RESTARTS = 5;

    private final List<Shape> before;
    private final List<Shape> after;
    private final List<DemoSummary.AnchorRow> rows = new ArrayList<>();

    AnchorComparison(List<Shape> before, List<Shape> after) {
        this.before = List.copyOf(before);
        this.after = List.copyOf(after);
    }

    /** Adds {@code anchors} under {@code name}, scored against both phases. */
    AnchorComparison add(String name, AnchorSet anchors) {
        List<DemoSummary.Wh> wh = anchors.shapes().stream().map(s -> new DemoSummary.Wh(s.w(), s.h())).toList();
        rows.add(new DemoSummary.AnchorRow(name, wh, avgIou(before, anchors), avgIou(after, anchors)));
        return this;
    }

    /** The IoU k-means anchors ({@code k}, k-means++ seeding, {@link #KMEANS_RESTARTS} restarts) of one phase; null without boxes. */
    static AnchorSet kmeans(List<Shape> shapes, int k, int inputSize, long seed) {
        if (shapes.size() < k) {
            return null;
        }
        double[] w = shapes.stream().mapToDouble(Shape::w).toArray();
        double[] h = shapes.stream().mapToDouble(Shape::h).toArray();
        return new AnchorKMeans().fit(w, h, k, KMEANS_RESTARTS, new SplittableRandom(seed)).anchors(inputSize, inputSize);
    }

    /** Mean best IoU of {@code anchors} over {@code shapes}; null without shapes. */
    static Double avgIou(List<Shape> shapes, AnchorSet anchors) {
        return shapes.isEmpty() ? null : AnchorStatistics.of(shapes, anchors).averageBestIou();
    }

    List<DemoSummary.AnchorRow> rows() {
        return List.copyOf(rows);
    }
}
