package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HsvTest {

    @Test
    void roundTripsEveryCoarseColourExactly() {
        double[] hsv = new double[3];
        byte[] rgb = new byte[3];
        for (int r = 0; r < 256; r += 17) {
            for (int g = 0; g < 256; g += 17) {
                for (int b = 0; b < 256; b += 17) {
                    Hsv.fromRgb(r, g, b, hsv);
                    Hsv.toRgb(hsv[0], hsv[1], hsv[2], rgb, 0);
                    assertThat(new int[] {rgb[0] & 0xFF, rgb[1] & 0xFF, rgb[2] & 0xFF})
                            .as("(%d, %d, %d)", r, g, b).containsExactly(r, g, b);
                }
            }
        }
    }

    @Test
    void convertsKnownColoursByHand() {
        double[] hsv = new double[3];
        // (200, 100, 50): max 200, min 50, delta 150; red is max: h6 = (100-50)/150 = 1/3, s = 150/200
        Hsv.fromRgb(200, 100, 50, hsv);
        assertThat(hsv).containsExactly(new double[] {1.0 / 3, 0.75, 200}, within(1e-12));
        // (50, 100, 200): blue is max: h6 = 4 + (50-100)/150 = 11/3
        Hsv.fromRgb(50, 100, 200, hsv);
        assertThat(hsv).containsExactly(new double[] {11.0 / 3, 0.75, 200}, within(1e-12));
        // (255, 0, 51): red is max, g < b: h6 = -51/255 + 6 = 5.8
        Hsv.fromRgb(255, 0, 51, hsv);
        assertThat(hsv).containsExactly(new double[] {5.8, 1, 255}, within(1e-12));
        // grey: no saturation, hue 0 by convention
        Hsv.fromRgb(127, 127, 127, hsv);
        assertThat(hsv).containsExactly(0, 0, 127);
    }

    @Test
    void convertsHsvToRgbByHand() {
        byte[] rgb = new byte[3];
        // h6 = 3 + 1/3 (sector 3, f = 1/3), s = 0.75, v = 200: (p, q, v) = (50, 200*(1 - 0.25), 200) = (50, 150, 200)
        Hsv.toRgb(10.0 / 3, 0.75, 200, rgb, 0);
        assertThat(new int[] {rgb[0] & 0xFF, rgb[1] & 0xFF, rgb[2] & 0xFF}).containsExactly(50, 150, 200);
        // h6 = 6 is red again
        Hsv.toRgb(6, 1, 255, rgb, 0);
        assertThat(new int[] {rgb[0] & 0xFF, rgb[1] & 0xFF, rgb[2] & 0xFF}).containsExactly(255, 0, 0);
    }
}
