package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AugmentConfigTest {

    private static final AugmentConfig YOLO = AugmentConfig.yolov2(416, 416);

    @Test
    void yolov2DefaultsAreDarknets() {
        assertThat(YOLO).isEqualTo(new AugmentConfig(416, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 0.2, 1.0, 0x7F7F7F));
        assertThat(YOLO.jitterCrop()).isEqualTo(new JitterCrop(0.2, Scaling.RANDOM, 0.5, 416, 416, 0x7F7F7F));
        assertThat(YOLO.hsvJitter()).isEqualTo(HsvJitter.YOLOV2);
        assertThat(YOLO.visibilityRule()).isEqualTo(VisibilityRule.DEFAULT);
        assertThat(YOLO.withScaling(Scaling.NONE).scaling()).isEqualTo(Scaling.NONE);
    }

    @Test
    void validationMessagesNameTheBadField() {
        assertThatThrownBy(() -> config(0, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outputWidth must be > 0, got 0");
        assertThatThrownBy(() -> config(416, -3, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 0.2, 1))
                .hasMessage("outputHeight must be > 0, got -3");
        assertThatThrownBy(() -> config(416, 416, -0.1, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 0.2, 1))
                .hasMessage("jitter must be in [0, 0.5), got -0.1");
        assertThatThrownBy(() -> config(416, 416, 0.2, null, 0.5, 0.1, 1.5, 1.5, 0.2, 1))
                .hasMessage("scaling must be RANDOM, NONE or FIT, got null");
        assertThatThrownBy(() -> config(416, 416, 0.2, Scaling.RANDOM, 1.5, 0.1, 1.5, 1.5, 0.2, 1))
                .hasMessage("flipProbability must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> config(416, 416, 0.2, Scaling.RANDOM, 0.5, Double.NaN, 1.5, 1.5, 0.2, 1))
                .hasMessage("hue must be in [0, 0.5], got NaN");
        assertThatThrownBy(() -> config(416, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 0.9, 1.5, 0.2, 1))
                .hasMessage("saturation must be finite and >= 1, got 0.9");
        assertThatThrownBy(() -> config(416, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 0, 0.2, 1))
                .hasMessage("exposure must be finite and >= 1, got 0.0");
        assertThatThrownBy(() -> config(416, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 1.2, 1))
                .hasMessage("minVisibleFraction must be in [0, 1], got 1.2");
        assertThatThrownBy(() -> config(416, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 0.2, -1))
                .hasMessage("minBoxSidePx must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> new AugmentConfig(416, 416, 0.2, Scaling.RANDOM, 0.5, 0.1, 1.5, 1.5, 0.2, 1, -1))
                .hasMessage("fillRgb must be in [0, 0xFFFFFF], got -1");
    }

    private static AugmentConfig config(int w, int h, double jitter, Scaling scaling, double flip, double hue,
                                        double saturation, double exposure, double minVisible, double minSide) {
        return new AugmentConfig(w, h, jitter, scaling, flip, hue, saturation, exposure, minVisible, minSide, 0x7F7F7F);
    }
}
