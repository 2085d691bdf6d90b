package dev.abo.core.anchor;

import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text form of anchor shapes used on command lines ({@code abo anchors --eval "w,h w,h"}):
 * whitespace-separated {@code w,h} pairs in input pixels, e.g. {@code "42.3,55.4 102,128"}.
 * {@link #format} writes the shortest decimal that parses back to the same double, so
 * {@code parse(format(s))} equals {@code s}.
 */
public final class AnchorSetFormat {
    private AnchorSetFormat() {
    }

    /**
     * The shapes in {@code text}, in order.
     *
     * @throws IllegalArgumentException naming the first bad token and its 1-based position
     */
    public static List<Shape> parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("no anchors in '" + text + "'; expected w,h pairs such as \"10,13 16,30\"");
        }
        String[] tokens = trimmed.split("\\s+");
        List<Shape> shapes = new ArrayList<>(tokens.length);
        for (int t = 0; t < tokens.length; t++) {
            shapes.add(parseToken(tokens[t], t + 1));
        }
        return shapes;
    }

    /** {@link #parse} as an anchor set at the given input size. */
    public static AnchorSet parse(String text, int inputWidth, int inputHeight) {
        return new AnchorSet(parse(text), inputWidth, inputHeight);
    }

    /** The shapes as {@code "w,h w,h ..."}; integral values without a fraction. */
    public static String format(List<Shape> shapes) {
        return shapes.stream().map(s -> number(s.w()) + "," + number(s.h())).collect(Collectors.joining(" "));
    }

    /** The anchors of a set as {@code "w,h w,h ..."} (the input size is not part of the text). */
    public static String format(AnchorSet anchors) {
        return format(anchors.shapes());
    }

    private static Shape parseToken(String token, int position) {
        String[] parts = token.split(",", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("anchor " + position + " '" + token + "' is not of the form w,h");
        }
        double w;
        double h;
        try {
            w = Double.parseDouble(parts[0]);
            h = Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("anchor " + position + " '" + token + "' has a size that is not a number");
        }
        if (!(w > 0) || !(h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("anchor " + position + " '" + token
                    + "' needs a finite positive width and height");
        }
        return new Shape(w, h);
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
