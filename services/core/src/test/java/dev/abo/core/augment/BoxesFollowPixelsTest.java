package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Boxes move exactly with the pixels: a flat scene with two solid rectangles at known integer
 * coordinates goes through random crops, scales and flips; in every output the rectangle's colour is
 * found only inside its transformed box, reaches that box's edges to within one pixel, and pixels
 * clearly outside every box are exactly background or padding.
 *
 * <p>Why these tolerances: a pixel is classed as the colour it is nearest to. Bilinear blending of
 * rectangle and background is half-way exactly where the pixel centre lies on the mapped edge, so a
 * "rectangle" pixel's centre is inside the box (up to fixed-point and byte rounding, a few thousandths
 * of a source pixel). The blend reaches half a source pixel beyond the edge: pixels more than
 * {@code max(1, scale/2)} output px outside are pure background.
 */
class BoxesFollowPixelsTest {

    private static final int W = 200;
    private static final int H = 120;
    private static final int[] BACKGROUND = {30, 60, 90};
    private static final int[] FILL = {127, 127, 127};
    private static final int[][] COLOURS = {{250, 40, 40}, {40, 220, 60}};
    private static final Box[] RECTS = {new Box(40, 30, 90, 70), new Box(120, 50, 170, 110)};
    private static final RgbImage SCENE = scene();
    private static final List<LabeledObject> OBJECTS = List.of(LabeledObject.of(RECTS[0], 0), LabeledObject.of(RECTS[1], 1));

    @Test
    void randomScaleCropsDownsampling() {
        check(new JitterCrop(0.2, Scaling.RANDOM, 0.5, 100, 80, AffineCrop.GREY_127), 300);
    }

    @Test
    void randomScaleCropsUpsampling() {
        check(new JitterCrop(0.3, Scaling.RANDOM, 0.5, 416, 416, AffineCrop.GREY_127), 40);
    }

    @Test
    void fixedScaleCropsCutRectangles() {
        check(new JitterCrop(0.2, Scaling.NONE, 0.5, 96, 64, AffineCrop.GREY_127), 300);
    }

    @Test
    void fitCropsMoveTheWholeFrame() {
        check(new JitterCrop(0.2, Scaling.FIT, 0.5, 96, 64, AffineCrop.GREY_127), 100);
    }

    private static void check(JitterCrop jitter, int seeds) {
        int flipped = 0;
        int cut = 0;
        for (int seed = 0; seed < seeds; seed++) {
            AffineCrop crop = jitter.sample(W, H, new SplittableRandom(seed));
            Augmented a = crop.apply(SCENE, OBJECTS, VisibilityRule.DEFAULT);
            flipped += crop.flip() ? 1 : 0;
            cut += a.droppedBoxes();
            assertThat(a.objects().size() + a.droppedBoxes()).isEqualTo(2);
            checkOne(crop, a, "seed " + seed + " " + crop);
        }
        assertThat(flipped).as("some crops flipped").isBetween(seeds / 4, seeds * 3 / 4);
        if (jitter.scaling() == Scaling.NONE) {
            assertThat(cut).as("some boxes cropped away").isPositive();
        }
    }

    private static void checkOne(AffineCrop crop, Augmented a, String what) {
        RgbImage out = a.image();
        double scale = Math.max(crop.scaleX(), crop.scaleY());
        double eps = 0.02 * Math.max(1, scale);
        double margin = Math.max(1, scale / 2);
        Box[] mapped = {crop.mapBox(RECTS[0]), crop.mapBox(RECTS[1])};
        int[][] extent = {{Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1}, {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1}};
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                int[] c = {out.get(x, y, 0), out.get(x, y, 1), out.get(x, y, 2)};
                int k = nearestRect(c);
                if (k >= 0) {
                    Box m = mapped[k];
                    if (x + 0.5 < m.x1() - eps || x + 0.5 > m.x2() + eps || y + 0.5 < m.y1() - eps || y + 0.5 > m.y2() + eps) {
                        fail("%s: colour %d at (%d, %d), centre outside %s", what, k, x, y, m);
                    }
                    int[] e = extent[k];
                    e[0] = Math.min(e[0], x);
                    e[1] = Math.min(e[1], y);
                    e[2] = Math.max(e[2], x + 1);
                    e[3] = Math.max(e[3], y + 1);
                }
                if (outside(x, y, mapped[0], margin) && outside(x, y, mapped[1], margin)) {
                    if (!Arrays.equals(c, BACKGROUND) && !Arrays.equals(c, FILL)) {
                        fail("%s: (%d, %d) = (%d, %d, %d) is neither background nor fill", what, x, y, c[0], c[1], c[2]);
                    }
                }
            }
        }
        for (LabeledObject o : a.objects()) {
            Box b = o.box();
            assertThat(b).as(what).isEqualTo(mapped[o.classId()].clip(out.width(), out.height()));
            // the rectangle reaches the box's edges where the box is big enough to hold a clear pixel
            if (b.width() >= Math.max(3, 3 * scale) && b.height() >= Math.max(3, 3 * scale)) {
                int[] e = extent[o.classId()];
                assertThat(new double[] {e[0], e[1], e[2], e[3]})
                        .as("%s: colour %d spans %d..%d x %d..%d, box %s", what, o.classId(), e[0], e[2], e[1], e[3], b)
                        .containsExactly(new double[] {b.x1(), b.y1(), b.x2(), b.y2()}, within(1.0));
            }
        }
    }

    /** The rectangle whose colour the pixel is nearest to (among background, fill and both colours), or -1. */
    private static int nearestRect(int[] c) {
        int best = -1;
        long bestD = Math.min(dist(c, BACKGROUND), dist(c, FILL));
        for (int k = 0; k < 2; k++) {
            long d = dist(c, COLOURS[k]);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    private static boolean outside(int x, int y, Box b, double margin) {
        return x >= b.x2() + margin || x + 1 <= b.x1() - margin || y >= b.y2() + margin || y + 1 <= b.y1() - margin;
    }

    private static long dist(int[] a, int[] b) {
        long d = 0;
        for (int i = 0; i < 3; i++) {
            d += (long) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return d;
    }

    private static RgbImage scene() {
        RgbImage img = AffineCropTest.solid(W, H, BACKGROUND[0], BACKGROUND[1], BACKGROUND[2]);
        for (int k = 0; k < 2; k++) {
            Box r = RECTS[k];
            for (int y = (int) r.y1(); y < r.y2(); y++) {
                for (int x = (int) r.x1(); x < r.x2(); x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        img.set(x, y, ch, COLOURS[k][ch]);
                    }
                }
            }
        }
        return img;
    }
}
