package dev.abo.core.anchor;

import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * How the anchor shapes start (paper Sec. 4.2.1). The fixed ones are given in grid units and
 * multiplied by the stride (input pixels per output cell, 32 for YOLOv2) to give pixels:
 * <ul>
 *   <li>{@code uniform}: {@code [(3,3), (3,9), (9,9), (9,3), (6,6)] x stride};</li>
 *   <li>{@code identical}: five times {@code (5,5) x stride};</li>
 *   <li>{@code voc}, {@code coco}: the published YOLOv2 anchors of {@code yolo-voc.cfg} and
 *       {@code yolo.cfg} (grid units at stride 32, 13x13 grid of a 416 input);</li>
 *   <li>{@code kmeans}: {@link AnchorKMeans} over the training boxes (needs data, see {@link #fit}).</li>
 * </ul>
 */
public enum AnchorInit {
    UNIFORM("uniform", new double[] {3, 3, 3, 9, 9, 9, 9, 3, 6, 6}),
    IDENTICAL("identical", new double[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}),
    KMEANS("kmeans", null),
    VOC("voc", new double[] {1.3221, 1.73145, 3.19275, 4.00944, 5.05587, 8.09892, 9.47112, 4.84053, 11.2364,
        10.0071}),
    COCO("coco", new double[] {0.57273, 0.677385, 1.87446, 2.06253, 3.33843, 5.47434, 7.88282, 3.52778, 9.77052,
        9.16828});

    private final String cliName;
    private final double[] gridUnits;

    AnchorInit(String cliName, double[] gridUnits) {
        this.cliName = cliName;
        this.gridUnits = gridUnits;
    }

    /** The lower-case name used on command lines and in configs. */
    public String cliName() {
        return cliName;
    }

    /** Whether the anchors come from data ({@code kmeans}) rather than a fixed table. */
    public boolean needsData() {
        return gridUnits == null;
    }

    /**
     * The fixed anchors in pixels of a {@code inputWidth x inputHeight} input: grid units times
     * {@code stride}.
     *
     * @throws IllegalStateException for {@code kmeans}, which needs data
     */
    public AnchorSet anchors(int inputWidth, int inputHeight, double stride) {
        if (needsData()) {
            throw new IllegalStateException("kmeans anchors come from box shapes: call AnchorInit.KMEANS.fit");
        }
        if (!(stride > 0) || !Double.isFinite(stride)) {
            throw new IllegalArgumentException("stride must be finite and positive, got " + stride);
        }
        List<Shape> shapes = new ArrayList<>(gridUnits.length / 2);
        for (int i = 0; i < gridUnits.length; i += 2) {
            shapes.add(new Shape(gridUnits[i] * stride, gridUnits[i + 1] * stride));
        }
        return new AnchorSet(shapes, inputWidth, inputHeight);
    }

    /**
     * {@code kmeans} anchors: {@link AnchorKMeans} with default settings over box shapes given in
     * pixels of the {@code inputWidth x inputHeight} input; centres sorted by area.
     *
     * @throws IllegalStateException for the fixed initialisations
     */
    public AnchorSet fit(double[] widths, double[] heights, int k, int restarts, RandomGenerator rng,
                         int inputWidth, int inputHeight) {
        if (!needsData()) {
            throw new IllegalStateException(cliName + " anchors are fixed: call anchors(inputWidth, inputHeight, stride)");
        }
        return new AnchorKMeans().fit(widths, heights, k, restarts, rng).anchors(inputWidth, inputHeight);
    }

    /** The initialisation named {@code name}, case-insensitively. */
    public static AnchorInit parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (AnchorInit init : values()) {
            if (init.cliName.equals(key)) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown anchor initialisation '" + name + "'; valid: "
                + Arrays.stream(values()).map(AnchorInit::cliName).collect(Collectors.joining(", ")));
    }
}
