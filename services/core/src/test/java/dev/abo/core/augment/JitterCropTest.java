package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.geometry.Box;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JitterCropTest {

    @Test
    void randomScalingMovesEachSideByAtMostJitterTimesTheSourceSize() {
        JitterCrop jitter = new JitterCrop(0.2, Scaling.RANDOM, 0.5, 416, 416, AffineCrop.GREY_127);
        SplittableRandom rng = new SplittableRandom(1);
        double minWidth = Double.MAX_VALUE;
        double maxWidth = 0;
        int flips = 0;
        for (int k = 0; k < 2000; k++) {
            AffineCrop crop = jitter.sample(300, 200, rng);
            Box w = crop.window();
            // each side within +-0.2 * 300 = 60 (x) and +-0.2 * 200 = 40 (y) of the image border
            assertThat(w.x1()).isBetween(-60.0, 60.0);
            assertThat(w.x2()).isBetween(240.0, 360.0);
            assertThat(w.y1()).isBetween(-40.0, 40.0);
            assertThat(w.y2()).isBetween(160.0, 240.0);
            assertThat(crop.outputWidth()).isEqualTo(416);
            minWidth = Math.min(minWidth, w.width());
            maxWidth = Math.max(maxWidth, w.width());
            flips += crop.flip() ? 1 : 0;
        }
        // widths span [300 - 120, 300 + 120]: scale and aspect really vary
        assertThat(minWidth).isLessThan(200);
        assertThat(maxWidth).isGreaterThan(400);
        // p = 0.5: 1000 +- 3 sigma (sigma ~ 22)
        assertThat(flips).isBetween(933, 1067);
    }

    @Test
    void noScalingKeepsTheOutputSizeInSourcePixelsAndOnlyMovesTheWindow() {
        // Brainwash-like: 640x480 frames, 320x320 crops at one source pixel per input pixel
        JitterCrop jitter = new JitterCrop(0.2, Scaling.NONE, 0.5, 320, 320, AffineCrop.GREY_127);
        SplittableRandom rng = new SplittableRandom(2);
        for (int k = 0; k < 1000; k++) {
            AffineCrop crop = jitter.sample(640, 480, rng);
            assertThat(crop.scaleX()).isCloseTo(1, within(1e-12));
            assertThat(crop.scaleY()).isCloseTo(1, within(1e-12));
            // left edge in [-0.2*640, 640 - 320 + 0.2*640] = [-128, 448]; top in [-96, 256]
            assertThat(crop.window().x1()).isBetween(-128.0, 448.0);
            assertThat(crop.window().y1()).isBetween(-96.0, 256.0);
        }
    }

    @Test
    void fitKeepsTheWholeFrameAtTheStretchScaleAndOnlyMovesTheWindow() {
        // a 320x240 still camera shown at 128x128: scale 128/320 = 0.4 and 128/240 = 0.5333 on every crop,
        // the scale of Stretch(128, 128) applied to the whole frame
        JitterCrop jitter = new JitterCrop(0.2, Scaling.FIT, 0.5, 128, 128, AffineCrop.GREY_127);
        SplittableRandom rng = new SplittableRandom(3);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        for (int k = 0; k < 1000; k++) {
            AffineCrop crop = jitter.sample(320, 240, rng);
            assertThat(crop.scaleX()).isCloseTo(0.4, within(1e-12));
            assertThat(crop.scaleY()).isCloseTo(128.0 / 240, within(1e-12));
            assertThat(crop.window().width()).isCloseTo(320, within(1e-9));
            assertThat(crop.window().height()).isCloseTo(240, within(1e-9));
            // left edge in [-0.2*320, 0.2*320] = [-64, 64]; top in [-48, 48]
            assertThat(crop.window().x1()).isBetween(-64.0, 64.0);
            assertThat(crop.window().y1()).isBetween(-48.0, 48.0);
            minX = Math.min(minX, crop.window().x1());
            maxX = Math.max(maxX, crop.window().x1());
        }
        assertThat(minX).as("the window really moves").isLessThan(-50);
        assertThat(maxX).isGreaterThan(50);
    }

    @Test
    void fitWithoutJitterIsTheStretch() {
        JitterCrop jitter = new JitterCrop(0, Scaling.FIT, 0, 64, 32, 0);

        AffineCrop crop = jitter.sample(300, 200, new SplittableRandom(9));

        assertThat(crop).isEqualTo(new AffineCrop(new Box(0, 0, 300, 200), 64, 32, false, 0));
    }

    @Test
    void zeroJitterWithRandomScalingIsTheWholeImage() {
        JitterCrop jitter = new JitterCrop(0, Scaling.RANDOM, 0, 64, 32, 0);

        AffineCrop crop = jitter.sample(300, 200, new SplittableRandom(9));

        assertThat(crop).isEqualTo(new AffineCrop(new Box(0, 0, 300, 200), 64, 32, false, 0));
    }

    @Test
    void flipProbabilityOneAlwaysFlips() {
        JitterCrop jitter = new JitterCrop(0.2, Scaling.RANDOM, 1, 64, 64, 0);
        SplittableRandom rng = new SplittableRandom(4);
        for (int k = 0; k < 100; k++) {
            assertThat(jitter.sample(100, 100, rng).flip()).isTrue();
        }
    }

    @Test
    void isDeterministicForASeed() {
        JitterCrop jitter = new JitterCrop(0.2, Scaling.RANDOM, 0.5, 64, 64, 0);

        assertThat(jitter.sample(100, 80, new SplittableRandom(42))).isEqualTo(jitter.sample(100, 80, new SplittableRandom(42)));
    }

    @Test
    void rejectsBadSettingsNamingTheField() {
        assertThatThrownBy(() -> new JitterCrop(0.5, Scaling.RANDOM, 0.5, 64, 64, 0))
                .hasMessage("jitter must be in [0, 0.5), got 0.5");
        assertThatThrownBy(() -> new JitterCrop(0.2, Scaling.RANDOM, 0.5, 64, 64, 0).sample(0, 10, new SplittableRandom(1)))
                .hasMessage("source size must be positive, got 0x10");
    }
}
