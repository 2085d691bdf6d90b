package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.data.DatasetSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultScalingTest {

    @Test
    void aStillCameraIsFittedAndPhotosAreScaledAtRandom() {
        // idl: is Brainwash's format, a still camera the paper trains without random scaling (Sec. 4.2.3);
        // synthetic:heads is its stand-in
        for (String camera : List.of("idl:/b.idl", "idl:/b.idl:640x480", "synthetic:heads")) {
            assertThat(DefaultScaling.of(camera)).as(camera).isEqualTo(Scaling.FIT);
        }
        // photos: YOLOv2's random scaling (Sec. 4.1)
        for (String photos : List.of("voc:/v", "voc:/v:trainval", "coco:/c.json", "synthetic:mixed")) {
            assertThat(DefaultScaling.of(photos)).as(photos).isEqualTo(Scaling.RANDOM);
        }
        assertThat(DefaultScaling.of(DatasetSpec.parse("idl:/b.idl"))).isEqualTo(DefaultScaling.STILL_CAMERA);
        assertThat(DefaultScaling.ofSynthetic("synthetic:heads")).isEqualTo(DefaultScaling.STILL_CAMERA);
        assertThat(DefaultScaling.ofSynthetic("synthetic:mixed")).isEqualTo(DefaultScaling.PHOTOS);
    }

    @Test
    void anUnknownSpecIsRejectedWithTheValidForms() {
        assertThatThrownBy(() -> DefaultScaling.of("synthetic:cars"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown synthetic dataset 'synthetic:cars'; valid names: synthetic:heads, synthetic:mixed");
        assertThatThrownBy(() -> DefaultScaling.of("kitti:/k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad dataset 'kitti:/k', expected one of: voc:DIR[:SPLIT]");
    }
}
