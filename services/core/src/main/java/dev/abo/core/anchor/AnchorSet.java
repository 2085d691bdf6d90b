package dev.abo.core.anchor;

import dev.abo.core.geometry.Shape;
import java.util.List;

/**
 * A set of anchor shapes in pixels of a declared network input size. Anchors are stored as
 * {@code (w, h)} in input pixels and learned as {@code (log w, log h)} (paper Eq. 4, Sec. 3.2).
 */
public record AnchorSet(List<Shape> shapes, int inputWidth, int inputHeight) {

    public AnchorSet {
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("an anchor set needs at least one anchor");
        }
        if (inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + inputWidth + "x" + inputHeight);
        }
    }

    /** A square input of side {@code inputSize}. */
    public static AnchorSet of(List<Shape> shapes, int inputSize) {
        return new AnchorSet(shapes, inputSize, inputSize);
    }

    /** Anchors from log-widths and log-heights (the learned parameters). */
    public static AnchorSet ofLog(double[] logW, double[] logH, int inputWidth, int inputHeight) {
        if (logW.length != logH.length) {
            throw new IllegalArgumentException("logW and logH lengths differ: " + logW.length + " vs " + logH.length);
        }
        Shape[] s = new Shape[logW.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = Shape.ofLog(logW[k], logH[k]);
        }
        return new AnchorSet(List.of(s), inputWidth, inputHeight);
    }

    public int size() {
        return shapes.size();
    }

    public Shape get(int k) {
        return shapes.get(k);
    }

    /** log w of every anchor (the learnable parameters s^(w) of Eq. 7). */
    public double[] logWidths() {
        return shapes.stream().mapToDouble(Shape::logW).toArray();
    }

    /** log h of every anchor. */
    public double[] logHeights() {
        return shapes.stream().mapToDouble(Shape::logH).toArray();
    }

    /** The same anchors expressed at another input size (scaled with the image). */
    public AnchorSet rescaleTo(int newWidth, int newHeight) {
        double sx = (double) newWidth / inputWidth;
        double sy = (double) newHeight / inputHeight;
        return new AnchorSet(shapes.stream().map(s -> s.scale(sx, sy)).toList(), newWidth, newHeight);
    }
}
