package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HsvTest {

    @Test
    void roundTripsEveryCoarseColourExactly() {
        double[] hsv = new double[3];
        double[] rgb = new double[3];
        for (int r = 0; r < 256; r += 17) {
            for (int g = 0; g < 256; g += 17) {
                for (int b = 0; b < 256; b += 17) {
                    Hsv.fromRgb(r, g, b, hsv);
                    Hsv.toRgb(hsv[0], hsv[1], hsv[2], rgb);
                    assertThat(new long[] {Math.round(rgb[0]), Math.round(rgb[1]), Math.round(rgb[2])})
                            .as("(%d, %d, %d)", r, g, b).containsExactly(r, g, b);
                    assertThat(rgb[0]).isCloseTo(r, within(1e-9));
                    assertThat(rgb[1]).isCloseTo(g, within(1e-9));
                    assertThat(rgb[2]).isCloseTo(b, within(1e-9));
                }
            }
        }
    }

    @Test
    void convertsKnownColoursByHand() {
        double[] hsv = new double[3];
        // (200, 100, 50): max 200, min 50, delta 150; red is max: h = (100-50)/150 / 6 = 1/18, s = 150/200
        Hsv.fromRgb(200, 100, 50, hsv);
        assertThat(hsv).containsExactly(new double[] {1.0 / 18, 0.75, 200}, within(1e-12));
        // blue (0, 0, 255): h = (4 + 0) / 6 = 2/3
        Hsv.fromRgb(0, 0, 255, hsv);
        assertThat(hsv).containsExactly(new double[] {2.0 / 3, 1, 255}, within(1e-12));
        // grey: no saturation, hue 0 by convention
        Hsv.fromRgb(127, 127, 127, hsv);
        assertThat(hsv).containsExactly(0, 0, 127);
    }
}
