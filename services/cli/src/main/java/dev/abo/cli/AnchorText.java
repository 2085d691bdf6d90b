package dev.abo.cli;

import dev.abo.core.geometry.Shape;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Anchors as people read them: {@code "40.1,72.1 90.5,146.7"} (input px, one decimal). */
public final class AnchorText {
    private AnchorText() {
    }

    public static String format(List<Shape> shapes) {
        return shapes.stream()
                .map(s -> String.format(Locale.ROOT, "%.1f,%.1f", s.w(), s.h()))
                .collect(Collectors.joining(" "));
    }
}
