package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class CanvasTest {

    @Test
    void rectangleCoversPixelsWhoseCentresItContains() {
        // rows with centre y+0.5 in [0.4, 2.6]: 0, 1, 2; columns with x+0.5 in [1.2, 4.5]: 1..4 (4.5 on
        // the edge counts) -> 3 x 4 = 12 pixels, pixel box (1, 0, 5, 3)
        Canvas c = new Canvas(RgbImage.blank(8, 8));
        Coverage cov = c.paint(new RectFigure(new Box(1.2, 0.4, 4.5, 2.6)), 0, Shader.flat(0x010203)).orElseThrow();
        assertThat(cov).isEqualTo(new Coverage(new Box(1, 0, 5, 3), 12));
        assertThat(c.image().get(4, 2, 0)).isEqualTo(1);
        assertThat(c.image().get(4, 2, 2)).isEqualTo(3);
        assertThat(c.image().get(5, 2, 0)).isEqualTo(0);
        assertThat(c.image().get(1, 3, 0)).isEqualTo(0);
    }

    @Test
    void circleOfRadiusTwoCoversTwelvePixels() {
        // centre (5, 5), r = 2: centre offsets (+-0.5, +-0.5) and (+-1.5, +-0.5), (+-0.5, +-1.5) are
        // inside (d^2 <= 2.5), the four (+-1.5, +-1.5) corners are not (d^2 = 4.5) -> 16 - 4 = 12
        Canvas c = new Canvas(RgbImage.blank(10, 10));
        Coverage cov = c.paint(new EllipseFigure(5, 5, 2, 2), 0, Shader.flat(0xFFFFFF)).orElseThrow();
        assertThat(cov).isEqualTo(new Coverage(new Box(3, 3, 7, 7), 12));
        assertThat(c.image().get(3, 3, 0)).isEqualTo(0);
        assertThat(c.image().get(3, 4, 0)).isEqualTo(255);
    }

    @Test
    void triangleTipWithoutPixelCentresIsNotInItsPixelBox() {
        // apex-up triangle (0,4) (4,4) (2,0): row y=0 spans [1.75, 2.25] (no centre), y=1 [1.25, 2.75]
        // -> x 1, 2; y=2 [0.75, 3.25] -> x 1, 2; y=3 [0.25, 3.75] -> x 0..3: 8 pixels, box (0, 1, 4, 4)
        TriangleFigure t = TriangleFigure.inBox(new Box(0, 0, 4, 4), 0);
        assertThat(t.extent()).isEqualTo(new Box(0, 0, 4, 4));
        Coverage cov = new Canvas(RgbImage.blank(6, 6)).paint(t, 0, Shader.flat(1)).orElseThrow();
        assertThat(cov).isEqualTo(new Coverage(new Box(0, 1, 4, 4), 8));
    }

    @Test
    void figureIsClippedToTheImage() {
        Coverage cov = new Canvas(RgbImage.blank(10, 10))
                .paint(new RectFigure(new Box(-2, -2, 3, 3)), 0, Shader.flat(1)).orElseThrow();
        assertThat(cov).isEqualTo(new Coverage(new Box(0, 0, 3, 3), 9));
    }

    @Test
    void figureBetweenPixelCentresCoversNothing() {
        assertThat(new Canvas(RgbImage.blank(4, 4)).paint(new RectFigure(new Box(1.6, 1.6, 2.4, 2.4)), 0,
                Shader.flat(1))).isEmpty();
    }

    @Test
    void laterFiguresAndOverlayHideEarlierOwners() {
        // A = [0,4]^2 (16 px), then B = [2,6]x[0,4] hides A's columns 2, 3 (8 px); then an overlay of
        // column 5 hides 4 of B's 16
        Canvas c = new Canvas(RgbImage.blank(8, 4));
        c.paint(new RectFigure(new Box(0, 0, 4, 4)), 0, Shader.flat(1));
        c.paint(new RectFigure(new Box(2, 0, 6, 4)), 1, Shader.flat(2));
        assertThat(c.visiblePixels(2)).containsExactly(8, 16);
        boolean[] mask = new boolean[32];
        for (int y = 0; y < 4; y++) {
            mask[y * 8 + 5] = true;
        }
        c.overlay(new byte[8 * 4 * 3], mask);
        assertThat(c.visiblePixels(2)).containsExactly(8, 12);
        assertThat(c.mask(1)).containsExactly(
                false, false, true, true, true, false, false, false,
                false, false, true, true, true, false, false, false,
                false, false, true, true, true, false, false, false,
                false, false, true, true, true, false, false, false);
    }
}
