package dev.abo.core.synth;

import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code synthetic:mixed}: generic objects of widely varying shape ({@link MixedClass}: box, ball,
 * pole, slab, tri; aspect ratios about 1:4 to 4:1, sides from about 12 px to 70% of the image) on a
 * random noisy background that changes every scene.
 *
 * <p>Textured backdrop: a two-colour linear gradient in a random direction, 3-8 soft blotches of
 * nearby colours, then the objects (each in its class colour, jittered by +-20 levels and shaded
 * along a random direction), then contrast 0.85-1.15, brightness +-15 levels and pixel noise +-10
 * levels. Objects may overlap; later ones hide earlier ones.
 *
 * <p>Labels: each box is the exact pixel bounding box of the object's whole figure; an object with
 * less than {@link MixedConfig#minVisibleFraction()} of its pixels visible is not labelled and is
 * counted in {@link SyntheticScene#occludedDropped()}.
 *
 * <p>Immutable and thread-safe; scene(i) is a pure function of (config, seed, i).
 */
public final class MixedScenes implements SceneGenerator {
    /** The CLI name. */
    public static final String NAME = "synthetic:mixed";
    private static final MixedClass[] CLASSES = MixedClass.values();
    /** Colours precomputed along the background gradient. */
    private static final int GRADIENT_STEPS = 512;
    private static final List<String> CLASS_NAMES = Arrays.stream(CLASSES).map(MixedClass::label).toList();

    private final MixedConfig config;
    private final long seed;

    public MixedScenes(MixedConfig config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    /** Default configuration ({@link MixedConfig#defaults()}). */
    public MixedScenes(long seed) {
        this(MixedConfig.defaults(), seed);
    }

    public MixedConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    @Override
    public int width() {
        return config.width();
    }

    @Override
    public int height() {
        return config.height();
    }

    @Override
    public SyntheticScene scene(long index) {
        SplittableRandom rng = new SplittableRandom(SceneSeed.of(seed, SceneSeed.requireIndex(index)));
        int w = config.width();
        int h = config.height();
        RgbImage image = RgbImage.blank(w, h);
        Canvas canvas = new Canvas(image);
        boolean textured = config.backdrop() == Backdrop.TEXTURED;
        if (textured) {
            paintBackground(canvas, rng);
        } else {
            canvas.fill(Backdrop.FLAT_RGB);
        }
        int n = config.minObjects() + rng.nextInt(config.maxObjects() - config.minObjects() + 1);
        int[] classIds = new int[n];
        List<Coverage> covered = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            MixedClass cls = CLASSES[rng.nextInt(CLASSES.length)];
            classIds[k] = cls.ordinal();
            Figure f = cls.sample(rng, w, h);
            covered.add(canvas.paint(f, k, shading(f.extent(), Shader.jitter(cls.rgb(), 20, rng), rng))
                    .orElseThrow(() -> new IllegalStateException("object covers no pixel centre: " + f)));
        }
        int[] visible = canvas.visiblePixels(n);
        List<LabeledObject> labels = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Coverage c = covered.get(k);
            if (visible[k] >= config.minVisibleFraction() * c.pixels()) {
                labels.add(LabeledObject.of(c.pixelBox(), classIds[k]));
            }
        }
        if (textured) {
            CameraNoise.apply(image.rgb(), 0.85 + 0.3 * rng.nextDouble(), -15 + 30 * rng.nextDouble(), 10, rng);
        }
        LabeledImage li = new LabeledImage(Long.toString(index), null, w, h, labels);
        return new SyntheticScene(image, li, n - labels.size());
    }

    /** A colour darkening from 1.15x to 0.8x across {@code extent} along a random direction. */
    private static Shader shading(Box extent, int rgb, SplittableRandom rng) {
        double ux = rng.nextDouble();
        double uy = 1 - ux;
        double sx = rng.nextBoolean() ? 1 : -1;
        double sy = rng.nextBoolean() ? 1 : -1;
        return (x, y) -> {
            double fx = (x + 0.5 - extent.cx()) / extent.width();
            double fy = (y + 0.5 - extent.cy()) / extent.height();
            return Shader.scale(rgb, 0.975 + 0.35 * (sx * ux * fx + sy * uy * fy));
        };
    }

    /** Writes the gradient straight into the buffer (every pixel is still unlabelled), then the blotches. */
    private static void paintBackground(Canvas canvas, SplittableRandom rng) {
        int w = canvas.image().width();
        int h = canvas.image().height();
        int c0 = muted(rng);
        int c1 = muted(rng);
        double angle = 2 * Math.PI * rng.nextDouble();
        double dx = Math.cos(angle) / w;
        double dy = Math.sin(angle) / h;
        int[] ramp = new int[GRADIENT_STEPS + 1];
        for (int i = 0; i <= GRADIENT_STEPS; i++) {
            double t = (double) i / GRADIENT_STEPS;
            ramp[i] = Shader.pack(lerp(c0 >> 16 & 0xFF, c1 >> 16 & 0xFF, t), lerp(c0 >> 8 & 0xFF, c1 >> 8 & 0xFF, t),
                    lerp(c0 & 0xFF, c1 & 0xFF, t));
        }
        byte[] rgb = canvas.image().rgb();
        for (int y = 0; y < h; y++) {
            double rowT = 0.5 + (y + 0.5 - h / 2.0) * dy;
            for (int x = 0; x < w; x++) {
                // ternaries, not Math.min/max: those handle -0.0 and NaN and were the hot spot here
                double t = rowT + (x + 0.5 - w / 2.0) * dx;
                int c = ramp[t <= 0 ? 0 : t >= 1 ? GRADIENT_STEPS : (int) (t * GRADIENT_STEPS + 0.5)];
                int p = (y * w + x) * 3;
                rgb[p] = (byte) (c >> 16);
                rgb[p + 1] = (byte) (c >> 8);
                rgb[p + 2] = (byte) c;
            }
        }
        int blotches = 3 + rng.nextInt(6);
        for (int k = 0; k < blotches; k++) {
            double bw = w * (0.1 + 0.4 * rng.nextDouble());
            double bh = h * (0.1 + 0.4 * rng.nextDouble());
            Box b = Box.ofCenter(rng.nextDouble() * w, rng.nextDouble() * h, bw, bh);
            int c = Shader.jitter(rng.nextBoolean() ? c0 : c1, 25, rng);
            canvas.paint(EllipseFigure.inscribed(b), Canvas.UNLABELED, Shader.flat(c));
        }
    }

    /** A random colour with every channel in 60..200. */
    private static int muted(SplittableRandom rng) {
        return Shader.pack(60 + 140 * rng.nextDouble(), 60 + 140 * rng.nextDouble(), 60 + 140 * rng.nextDouble());
    }

    private static double lerp(int a, int b, double t) {
        return a + (b - a) * t;
    }
}
