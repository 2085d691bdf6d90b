package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.data.LabeledObject;
import org.junit.jupiter.api.Test;

class CameraStreamTest {
    private final MixedScenes mixed = new MixedScenes(11);
    private final HeadsScenes heads = new HeadsScenes(12);

    @Test
    void scheduleProbabilityGrowsLinearlyOverTheBlend() {
        // (f - 10 + 1) / (3 + 1) clamped
        DriftSchedule s = new DriftSchedule(10, 3);
        assertThat(s.newProbability(0)).isEqualTo(0.0);
        assertThat(s.newProbability(9)).isEqualTo(0.0);
        assertThat(s.newProbability(10)).isEqualTo(0.25);
        assertThat(s.newProbability(11)).isEqualTo(0.5);
        assertThat(s.newProbability(12)).isEqualTo(0.75);
        assertThat(s.newProbability(13)).isEqualTo(1.0);
        assertThat(DriftSchedule.at(5).newProbability(4)).isEqualTo(0.0);
        assertThat(DriftSchedule.at(5).newProbability(5)).isEqualTo(1.0);
        assertThatThrownBy(() -> new DriftSchedule(-1, 0)).hasMessageContaining("switchFrame");
    }

    @Test
    void hardSwitchHappensExactlyAtTheGivenFrame() {
        CameraStream stream = new CameraStream(mixed, heads, DriftSchedule.at(100), 1);
        for (long f = 0; f < 300; f++) {
            assertThat(stream.showsAfter(f)).as("frame %d", f).isEqualTo(f >= 100);
        }
        assertThat(stream.scene(99).image()).isEqualTo(mixed.scene(99).image());
        assertThat(stream.scene(99).labels()).isEqualTo(mixed.scene(99).labels());
        assertThat(stream.scene(100).image()).isEqualTo(heads.scene(100).image());
    }

    @Test
    void classesAreUnitedAndRenumbered() {
        CameraStream stream = new CameraStream(mixed, heads, DriftSchedule.at(1), 1);
        assertThat(stream.classNames()).containsExactly("box", "ball", "pole", "slab", "tri", "head");
        SyntheticScene after = stream.scene(1);
        assertThat(after.labels().objects()).isNotEmpty().extracting(LabeledObject::classId).containsOnly(5);
        assertThat(after.labels().objects()).extracting(LabeledObject::box)
                .isEqualTo(heads.scene(1).labels().objects().stream().map(LabeledObject::box).toList());
        // the reverse drift keeps "head" at 0 and appends the mixed classes
        CameraStream back = new CameraStream(heads, mixed, DriftSchedule.at(0), 1);
        assertThat(back.classNames()).containsExactly("head", "box", "ball", "pole", "slab", "tri");
        assertThat(back.scene(3).labels().objects()).extracting(LabeledObject::classId)
                .isEqualTo(mixed.scene(3).labels().objects().stream().map(o -> o.classId() + 1).toList());
    }

    @Test
    void blendIsDeterministicAndItsShareOfNewFramesGrows() {
        // blend over frames 0..999: p(f) = (f + 1) / 1001, so the first half has ~25% new frames, the
        // second ~75% (binomial sd ~2% each)
        CameraStream a = new CameraStream(mixed, heads, new DriftSchedule(0, 1000), 5);
        CameraStream b = new CameraStream(mixed, heads, new DriftSchedule(0, 1000), 5);
        int first = 0;
        int second = 0;
        for (long f = 0; f < 1000; f++) {
            boolean late = a.showsAfter(f);
            assertThat(b.showsAfter(f)).isEqualTo(late);
            if (late) {
                if (f < 500) {
                    first++;
                } else {
                    second++;
                }
            }
        }
        assertThat(first / 500.0).isBetween(0.19, 0.31);
        assertThat(second / 500.0).isBetween(0.69, 0.81);
        assertThat(a.showsAfter(1000)).isTrue();
        assertThat(a.name()).isEqualTo("synthetic:mixed->synthetic:heads@0+1000");
    }

    @Test
    void generatorsOfDifferentResolutionCannotShareACamera() {
        HeadsScenes big = new HeadsScenes(HeadsConfig.defaults().withSize(640, 480), 1);
        assertThatThrownBy(() -> new CameraStream(mixed, big, DriftSchedule.at(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("640x480");
    }
}
