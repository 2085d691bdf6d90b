package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class HsvShiftTest {

    @Test
    void halfTurnOfHueGivesTheComplementByHand() {
        // (200,100,50): h = 1/18, s = 0.75, v = 200. h + 1/2 = 10/18 -> sector 3, f = 1/3:
        // (p, q, v) = (200*0.25, 200*(1 - 0.75/3), 200) = (50, 150, 200)
        assertThat(shift(new HsvShift(0.5, 1, 1), 200, 100, 50)).containsExactly(50, 150, 200);
        // red -> cyan
        assertThat(shift(new HsvShift(0.5, 1, 1), 255, 0, 0)).containsExactly(0, 255, 255);
        // a third of a turn: red -> green
        assertThat(shift(new HsvShift(1.0 / 3, 1, 1), 255, 0, 0)).containsExactly(0, 255, 0);
        // a negative turn wraps: green - 1/3 -> red
        assertThat(shift(new HsvShift(-1.0 / 3, 1, 1), 0, 255, 0)).containsExactly(255, 0, 0);
    }

    @Test
    void halfTurnEqualsMaxPlusMinMinusEachChannelForAllCoarseColours() {
        // independent derivation: rotating the hexcone by 180 degrees maps c -> max + min - c
        for (int r = 0; r < 256; r += 17) {
            for (int g = 0; g < 256; g += 17) {
                for (int b = 0; b < 256; b += 17) {
                    int sum = Math.max(r, Math.max(g, b)) + Math.min(r, Math.min(g, b));
                    assertThat(shift(new HsvShift(0.5, 1, 1), r, g, b)).as("(%d, %d, %d)", r, g, b)
                            .containsExactly(sum - r, sum - g, sum - b);
                }
            }
        }
    }

    @Test
    void scalesSaturationAndExposureByHand() {
        // (200,100,50) with s = 0.75 * 0.5 = 0.375, hue 1/18 (sector 0, f = 1/3):
        // (v, t, p) = (200, 200*(1 - 0.375*2/3), 200*(1 - 0.375)) = (200, 150, 125)
        assertThat(shift(new HsvShift(0, 0.5, 1), 200, 100, 50)).containsExactly(200, 150, 125);
        // exposure 1.2 scales every channel of an unclipped colour: (240, 120, 60)
        assertThat(shift(new HsvShift(0, 1, 1.2), 200, 100, 50)).containsExactly(240, 120, 60);
        // exposure 1.5 clips v at 255 keeping hue and saturation: (255, 255*0.5, 255*0.25) = (255, 127.5, 63.75)
        assertThat(shift(new HsvShift(0, 1, 1.5), 200, 100, 50)).containsExactly(255, 128, 64);
        // saturation 2 clips s at 1: min channel goes to 0, (v, t, p) = (200, 200*(1 - 2/3), 0)
        assertThat(shift(new HsvShift(0, 2, 1), 200, 100, 50)).containsExactly(200, 67, 0);
    }

    @Test
    void greysOnlyChangeWithExposure() {
        assertThat(shift(new HsvShift(0.3, 1.5, 1), 127, 127, 127)).containsExactly(127, 127, 127);
        assertThat(shift(new HsvShift(0.3, 1.5, 0.5), 128, 128, 128)).containsExactly(64, 64, 64);
    }

    @Test
    void applyLeavesTheInputUnchanged() {
        RgbImage image = pixel(200, 100, 50);

        RgbImage shifted = new HsvShift(0.5, 1, 1).apply(image);

        assertThat(image).isEqualTo(pixel(200, 100, 50));
        assertThat(shifted).isEqualTo(pixel(50, 150, 200));
    }

    @Test
    void rejectsNonPositiveFactors() {
        assertThatThrownBy(() -> new HsvShift(0, 0, 1)).hasMessage("saturation must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new HsvShift(0, 1, -1)).hasMessage("exposure must be finite and > 0, got -1.0");
        assertThatThrownBy(() -> new HsvShift(Double.NaN, 1, 1)).hasMessage("hue must be finite, got NaN");
    }

    private static int[] shift(HsvShift shift, int r, int g, int b) {
        RgbImage image = pixel(r, g, b);
        shift.applyInPlace(image);
        return new int[] {image.get(0, 0, 0), image.get(0, 0, 1), image.get(0, 0, 2)};
    }

    private static RgbImage pixel(int r, int g, int b) {
        return new RgbImage(1, 1, new byte[] {(byte) r, (byte) g, (byte) b});
    }
}
