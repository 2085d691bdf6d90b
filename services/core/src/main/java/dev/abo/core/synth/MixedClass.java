package dev.abo.core.synth;

import dev.abo.core.geometry.Box;
import java.util.random.RandomGenerator;

/**
 * The object classes of {@link MixedScenes}, each with its own colour, figure and shape
 * distribution, chosen so that their typical {@code (log w, log h)} differ from each other and from
 * heads. {@code s = min(width, height)} of the image; "log-uniform" sizes; sides are continuous
 * pixels before rasterisation.
 */
enum MixedClass {
    /** Red rectangle, side log-uniform in [0.12 s, 0.45 s], w/h in [0.75, 1.4]. */
    BOX("box", 0xC83228),
    /** Orange near-circle, diameter log-uniform in [0.1 s, 0.35 s], w/h in [0.9, 1.1]. */
    BALL("ball", 0xF0B41E),
    /** Blue tall rectangle, width log-uniform in [12, 0.12 s], h/w in [2.5, 4.2], h at most 0.7 height. */
    POLE("pole", 0x2850D2),
    /** Green wide rectangle, height log-uniform in [12, 0.12 s], w/h in [2.5, 4.2], w at most 0.7 width. */
    SLAB("slab", 0x28964A),
    /** Purple isosceles triangle pointing any of 4 ways, height log-uniform in [0.3 s, 0.7 s], w/h in [0.8, 1.3]. */
    TRI("tri", 0x963CB4);

    private final String label;
    private final int rgb;

    MixedClass(String label, int rgb) {
        this.label = label;
        this.rgb = rgb;
    }

    /** The class name used in labels. */
    String label() {
        return label;
    }

    /** The base colour, packed {@code 0xRRGGBB}. */
    int rgb() {
        return rgb;
    }

    /** A random figure of this class placed wholly inside a {@code width x height} image. */
    Figure sample(RandomGenerator rng, int width, int height) {
        double s = Math.min(width, height);
        double w;
        double h;
        switch (this) {
            case BOX -> {
                double side = logUniform(rng, 0.12 * s, 0.45 * s);
                double ar = Math.sqrt(0.75 + 0.65 * rng.nextDouble());
                w = side * ar;
                h = side / ar;
            }
            case BALL -> {
                w = logUniform(rng, 0.1 * s, 0.35 * s);
                h = w / (0.9 + 0.2 * rng.nextDouble());
            }
            case POLE -> {
                double r = 2.5 + 1.7 * rng.nextDouble();
                h = Math.min(0.7 * height, logUniform(rng, 12, 0.12 * s) * r);
                w = h / r;
            }
            case SLAB -> {
                double r = 2.5 + 1.7 * rng.nextDouble();
                w = Math.min(0.7 * width, logUniform(rng, 12, 0.12 * s) * r);
                h = w / r;
            }
            case TRI -> {
                h = logUniform(rng, 0.3 * s, 0.7 * s);
                w = Math.min(0.7 * width, h * (0.8 + 0.5 * rng.nextDouble()));
            }
            default -> throw new IllegalStateException("unknown class " + this);
        }
        double x = rng.nextDouble() * (width - w);
        double y = rng.nextDouble() * (height - h);
        Box b = new Box(x, y, x + w, y + h);
        return switch (this) {
            case BALL -> EllipseFigure.inscribed(b);
            case TRI -> TriangleFigure.inBox(b, rng.nextInt(4));
            default -> new RectFigure(b);
        };
    }

    private static double logUniform(RandomGenerator rng, double lo, double hi) {
        return lo * Math.exp(rng.nextDouble() * Math.log(hi / lo));
    }
}
