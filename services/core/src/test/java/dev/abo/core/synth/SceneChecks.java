package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;

/** Checks shared by the generator tests. */
final class SceneChecks {
    private SceneChecks() {
    }

    /**
     * For a scene with exactly one object on a {@link Backdrop#FLAT} backdrop: (a) every pixel whose
     * centre lies outside the label box has exactly {@link Backdrop#FLAT_RGB}; (b) the pixels that
     * differ from it have the label box as their exact bounding box (they touch all four edges).
     */
    static void assertBoxBoundsDrawnPixels(SyntheticScene s) {
        assertThat(s.labels().objects()).hasSize(1);
        Box box = s.labels().objects().get(0).box();
        RgbImage img = s.image();
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        String strayPixel = null;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                boolean background = rgb(img, x, y) == Backdrop.FLAT_RGB;
                boolean inside = x + 0.5 >= box.x1() && x + 0.5 <= box.x2() && y + 0.5 >= box.y1() && y + 0.5 <= box.y2();
                if (!inside && !background && strayPixel == null) {
                    strayPixel = "(" + x + ", " + y + ")";
                }
                if (!background) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertThat(strayPixel).as("first non-background pixel outside %s", box).isNull();
        assertThat(new Box(minX, minY, maxX + 1, maxY + 1)).isEqualTo(box);
    }

    /** The box is a valid ground-truth box of the image, with integer corners (a pixel bounding box). */
    static void assertValidPixelBox(LabeledObject o, int width, int height) {
        Box b = o.box();
        assertThat(b.invalidReason(width, height)).isNull();
        assertThat(b.x1()).isGreaterThanOrEqualTo(0);
        assertThat(b.y1()).isGreaterThanOrEqualTo(0);
        assertThat(b.x2()).isLessThanOrEqualTo(width);
        assertThat(b.y2()).isLessThanOrEqualTo(height);
        for (double v : new double[] {b.x1(), b.y1(), b.x2(), b.y2()}) {
            assertThat(v).as("corner of %s", b).isEqualTo(Math.rint(v));
        }
        assertThat(o.area()).isEqualTo(b.area());
    }

    static int rgb(RgbImage img, int x, int y) {
        return img.get(x, y, 0) << 16 | img.get(x, y, 1) << 8 | img.get(x, y, 2);
    }
}
