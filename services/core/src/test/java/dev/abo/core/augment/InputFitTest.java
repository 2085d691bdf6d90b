package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputFitTest {

    private static final int FILL = 0x7F7F7F;

    @Test
    void letterboxMapsAWideImageByHand() {
        // 200x100 into 100x100: s = 0.5, content 100x50 at offset (0, 25); x' = x/2, y' = y/2 + 25
        Letterbox fit = new Letterbox(100, 100, FILL);

        assertThat(fit.crop(200, 100).mapBox(new Box(20, 10, 120, 60))).isEqualTo(new Box(10, 30, 60, 55));
        assertThat(fit.toSource(new Box(10, 30, 60, 55), 200, 100)).isEqualTo(new Box(20, 10, 120, 60));
        // the padding in source pixels: 25 input px at scale 0.5 = 50 source px above and below
        assertThat(fit.toSource(new Box(0, 0, 100, 100), 200, 100)).isEqualTo(new Box(0, -50, 200, 150));
    }

    @Test
    void letterboxPadsOutsideTheContentOnWholePixels() {
        // 333x100 into 128x128: s = 128/333, content 128 x round(38.44) = 38 rows at offset (128-38)/2 = 45
        Letterbox fit = new Letterbox(128, 128, FILL);
        RgbImage flat = AffineCropTest.solid(333, 100, 10, 200, 30);

        Augmented a = fit.apply(flat, List.of());

        Box content = fit.crop(333, 100).mapBox(new Box(0, 0, 333, 100));
        assertThat(new double[] {content.x1(), content.y1(), content.x2(), content.y2()})
                .containsExactly(new double[] {0, 45, 128, 83}, within(1e-9));
        for (int y = 0; y < 128; y++) {
            boolean inContent = y >= 45 && y < 83;
            int[] expected = inContent ? new int[] {10, 200, 30} : new int[] {127, 127, 127};
            for (int x = 0; x < 128; x += 9) {
                assertThat(new int[] {a.image().get(x, y, 0), a.image().get(x, y, 1), a.image().get(x, y, 2)})
                        .as("(%d, %d)", x, y).containsExactly(expected);
            }
        }
    }

    @Test
    void stretchMapsPerAxisByHand() {
        // 200x100 into 100x100: x' = x/2, y' = y
        Stretch fit = new Stretch(100, 100);

        assertThat(fit.crop(200, 100).mapBox(new Box(20, 10, 120, 60))).isEqualTo(new Box(10, 10, 60, 60));
        assertThat(fit.toSource(new Box(10, 10, 60, 60), 200, 100)).isEqualTo(new Box(20, 10, 120, 60));
    }

    @Test
    void mapThenInverseIsAnExactRoundTrip() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 500; k++) {
            int sw = rng.nextInt(1, 2000);
            int sh = rng.nextInt(1, 2000);
            int w = rng.nextInt(1, 700);
            int h = rng.nextInt(1, 700);
            Box box = new Box(rng.nextDouble(0, sw / 2.0), rng.nextDouble(0, sh / 2.0),
                    rng.nextDouble(sw / 2.0, sw), rng.nextDouble(sh / 2.0, sh));
            for (InputFit fit : List.of(new Letterbox(w, h, FILL), new Stretch(w, h))) {
                Box back = fit.toSource(fit.crop(sw, sh).mapBox(box), sw, sh);
                assertThat(new double[] {back.x1(), back.y1(), back.x2(), back.y2()}).as("%s %dx%d", fit, sw, sh)
                        .containsExactly(new double[] {box.x1(), box.y1(), box.x2(), box.y2()}, within(1e-9));
            }
        }
    }

    @Test
    void letterboxKeepsTheAspectRatioUpToRounding() {
        // 320x240 into 416x416: s = 1.3, content 416x312 at (0, 52); both scales 1.3
        AffineCrop crop = new Letterbox(416, 416, FILL).crop(320, 240);

        assertThat(crop.scaleX()).isCloseTo(1.3, within(1e-12));
        assertThat(crop.scaleY()).isCloseTo(1.3, within(1e-12));
        assertThat(crop.window().y1()).isCloseTo(-40, within(1e-12));
    }

    @Test
    void keepsEveryObjectOfTheSource() {
        List<LabeledObject> objects = List.of(LabeledObject.of(new Box(0, 0, 1, 1), 0),
                LabeledObject.of(new Box(100, 50, 200, 100), 1));

        Augmented a = new Stretch(16, 16).apply(AffineCropTest.solid(200, 100, 0, 0, 0), objects);

        // the 1x1 box becomes 0.08 x 0.16 input px and is still kept
        assertThat(a.droppedBoxes()).isZero();
        assertThat(a.objects()).extracting(LabeledObject::box)
                .containsExactly(new Box(0, 0, 0.08, 0.16), new Box(8, 8, 16, 16));
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> new Letterbox(0, 10, FILL)).hasMessage("input size must be positive, got 0x10");
        assertThatThrownBy(() -> new Stretch(10, -1)).hasMessage("input size must be positive, got 10x-1");
        assertThatThrownBy(() -> new Letterbox(10, 10, FILL).crop(0, 5)).hasMessage("source size must be positive, got 0x5");
    }
}
