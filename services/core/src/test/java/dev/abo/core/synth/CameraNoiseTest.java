package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CameraNoiseTest {

    @Test
    void contrastAndBrightnessMapAboutMidGreyAndClamp() {
        // (v - 128) * 2 + 128 + 10: 100 -> 82, 128 -> 138, 250 -> 382 -> 255, 0 -> -118 -> 0
        byte[] px = {(byte) 100, (byte) 128, (byte) 250, 0, 0, 0};
        CameraNoise.apply(px, 2, 10, 0, new SplittableRandom(1));
        assertThat(px).containsExactly((byte) 82, (byte) 138, (byte) 255, 0, 0, 0);
    }

    @Test
    void noiseIsUniformOverTheAmplitudeAndCentred() {
        byte[] px = new byte[3 * 100_000];
        Arrays.fill(px, (byte) 100);
        CameraNoise.apply(px, 1, 0, 3, new SplittableRandom(7));
        int[] counts = new int[7];
        long sum = 0;
        for (byte b : px) {
            int d = (b & 0xFF) - 100;
            assertThat(d).isBetween(-3, 3);
            counts[d + 3]++;
            sum += d;
        }
        // 300k draws over 7 levels: each ~42.9k, binomial sd ~190
        for (int n : counts) {
            assertThat((double) n).isCloseTo(300_000 / 7.0, org.assertj.core.data.Offset.offset(2_000.0));
        }
        assertThat((double) sum / px.length).isBetween(-0.02, 0.02);
    }
}
