package dev.abo.core.synth;

import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.image.RgbImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code synthetic:heads}: Brainwash-like frames of a still cafe camera (paper Sec. 4.2.3), one
 * class "head".
 *
 * <p>Every scene of one seed shares the same {@link CafeBackground}. A scene draws
 * {@code minHeads..maxHeads} people far to near (top to bottom, heads growing with depth from
 * {@code minBoxPx} to {@code maxBoxPx}): each an unlabelled body, then a head ellipse, slightly
 * taller than wide, with hair and sphere shading. The seed's foreground (a pillar, a low partition)
 * is drawn over the people, then the frame gets lighting jitter (contrast 0.8-1.2, brightness
 * +-25 levels) and pixel noise (+-6 levels).
 *
 * <p>Labels: a head's box is the exact pixel bounding box of its whole ellipse, also when nearer
 * people or the foreground hide part of it. A head of which less than
 * {@link HeadsConfig#minVisibleFraction()} of its pixels remains visible is not labelled and is
 * counted in {@link SyntheticScene#occludedDropped()}; the threshold does not change the pixels.
 *
 * <p>Immutable and thread-safe; scene(i) is a pure function of (config, seed, i).
 */
public final class HeadsScenes implements SceneGenerator {
    /** The CLI name. */
    public static final String NAME = "synthetic:heads";
    private static final List<String> CLASSES = List.of("head");
    /** Heads start below this fraction of the image height (the far wall). */
    private static final double TOP = 0.18;

    private final HeadsConfig config;
    private final long seed;
    private final CafeBackground background;

    public HeadsScenes(HeadsConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.background = config.backdrop() == Backdrop.TEXTURED
                ? CafeBackground.of(config.width(), config.height(), seed) : null;
    }

    /** Default configuration ({@link HeadsConfig#defaults()}). */
    public HeadsScenes(long seed) {
        this(HeadsConfig.defaults(), seed);
    }

    public HeadsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> classNames() {
        return CLASSES;
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
        boolean textured = background != null;
        RgbImage image = textured ? new RgbImage(w, h, background.rgb().clone()) : RgbImage.blank(w, h);
        Canvas canvas = new Canvas(image);
        if (!textured) {
            canvas.fill(Backdrop.FLAT_RGB);
        }
        int n = config.minHeads() + rng.nextInt(config.maxHeads() - config.minHeads() + 1);
        List<EllipseFigure> heads = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            heads.add(sampleHead(rng));
        }
        heads.sort(Comparator.comparingDouble(EllipseFigure::cy).thenComparingDouble(EllipseFigure::cx));
        List<Coverage> covered = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            EllipseFigure head = heads.get(k);
            if (textured) {
                paintBody(canvas, head, rng);
            }
            covered.add(canvas.paint(head, k, HeadShader.random(head, rng))
                    .orElseThrow(() -> new IllegalStateException("head covers no pixel centre: " + head)));
        }
        if (textured) {
            canvas.overlay(background.foreground(), background.foregroundMask());
        }
        int[] visible = canvas.visiblePixels(n);
        List<LabeledObject> labels = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Coverage c = covered.get(k);
            if (visible[k] >= config.minVisibleFraction() * c.pixels()) {
                labels.add(LabeledObject.of(c.pixelBox(), 0));
            }
        }
        if (textured) {
            CameraNoise.apply(image.rgb(), 0.8 + 0.4 * rng.nextDouble(), -25 + 50 * rng.nextDouble(), 6, rng);
        }
        LabeledImage li = new LabeledImage(Long.toString(index), null, w, h, labels);
        return new SyntheticScene(image, li, n - labels.size());
    }

    /**
     * A head inside the image: depth t uniform, centre y from TOP to the bottom with t, height growing
     * with t (plus jitter) over {@code [minBoxPx + 1, maxBoxPx - 1]}, width = height / (1.05..1.25).
     */
    private EllipseFigure sampleHead(SplittableRandom rng) {
        double lo = config.minBoxPx() + 1;
        double hi = config.maxBoxPx() - 1;
        double t = rng.nextDouble();
        double frac = Math.max(0, Math.min(1, 0.9 * t + 0.35 * (rng.nextDouble() - 0.5)));
        double hh = lo + (hi - lo) * frac;
        double ww = Math.max(lo, hh / (1.05 + 0.2 * rng.nextDouble()));
        double top = TOP * config.height();
        double cy = Math.max(hh / 2, Math.min(config.height() - hh / 2, top + t * (config.height() - top)));
        double cx = ww / 2 + rng.nextDouble() * (config.width() - ww);
        return new EllipseFigure(cx, cy, ww / 2, hh / 2);
    }

    /** Shoulders and torso under the head, in a muted random clothing colour; unlabelled, may leave the image. */
    private static void paintBody(Canvas canvas, EllipseFigure head, SplittableRandom rng) {
        double rx = head.rx() * (1.6 + 0.5 * rng.nextDouble());
        double ry = head.ry() * (1.5 + 0.6 * rng.nextDouble());
        double cx = head.cx() + head.rx() * 0.4 * (rng.nextDouble() - 0.5);
        double cy = head.cy() + head.ry() + 0.85 * ry;
        double grey = 30 + 170 * rng.nextDouble();
        int cloth = Shader.pack(grey + 40 * (rng.nextDouble() - 0.5), grey + 40 * (rng.nextDouble() - 0.5),
                grey + 40 * (rng.nextDouble() - 0.5));
        double top = cy - ry;
        canvas.paint(new EllipseFigure(cx, cy, rx, ry), Canvas.UNLABELED,
                (x, y) -> Shader.scale(cloth, 1.1 - 0.4 * (y + 0.5 - top) / (2 * ry)));
    }
}
