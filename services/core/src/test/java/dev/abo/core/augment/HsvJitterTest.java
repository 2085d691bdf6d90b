package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HsvJitterTest {

    @Test
    void samplesWithinTheConfiguredRangesAndReachesBothSides() {
        HsvJitter jitter = HsvJitter.YOLOV2;
        SplittableRandom rng = new SplittableRandom(3);
        double minHue = 1;
        double maxHue = -1;
        int saturationBelowOne = 0;
        for (int k = 0; k < 2000; k++) {
            HsvShift s = jitter.sample(rng);
            assertThat(s.hue()).isBetween(-0.1, 0.1);
            assertThat(s.saturation()).isBetween(1 / 1.5, 1.5);
            assertThat(s.exposure()).isBetween(1 / 1.5, 1.5);
            minHue = Math.min(minHue, s.hue());
            maxHue = Math.max(maxHue, s.hue());
            saturationBelowOne += s.saturation() < 1 ? 1 : 0;
        }
        assertThat(minHue).isLessThan(-0.09);
        assertThat(maxHue).isGreaterThan(0.09);
        // inverted with probability 1/2: 1000 +- 3 sigma (sigma = sqrt(2000/4) ~ 22)
        assertThat(saturationBelowOne).isBetween(933, 1067);
    }

    @Test
    void isDeterministicForASeedAndOffWhenRangesAreTrivial() {
        assertThat(HsvJitter.YOLOV2.sample(new SplittableRandom(11)))
                .isEqualTo(HsvJitter.YOLOV2.sample(new SplittableRandom(11)));
        assertThat(new HsvJitter(0, 1, 1).sample(new SplittableRandom(11))).isEqualTo(HsvShift.IDENTITY);
    }

    @Test
    void rejectsOutOfRangeSettingsNamingTheField() {
        assertThatThrownBy(() -> new HsvJitter(0.6, 1.5, 1.5)).hasMessage("hue must be in [0, 0.5], got 0.6");
        assertThatThrownBy(() -> new HsvJitter(0.1, 0.5, 1.5)).hasMessage("saturation must be finite and >= 1, got 0.5");
        assertThatThrownBy(() -> new HsvJitter(0.1, 1.5, Double.POSITIVE_INFINITY))
                .hasMessage("exposure must be finite and >= 1, got Infinity");
    }
}
