package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MixedScenesTest {
    private static final int SCENES = 200;

    @Test
    void sceneIsAPureFunctionOfSeedAndIndex() {
        SyntheticScene direct = new MixedScenes(42).scene(1234);
        MixedScenes b = new MixedScenes(42);
        b.scene(0);
        b.scene(5000);
        SyntheticScene later = b.scene(1234);
        assertThat(later.image()).isEqualTo(direct.image());
        assertThat(later.labels()).isEqualTo(direct.labels());
        assertThat(new MixedScenes(42).scene(1235).image()).isNotEqualTo(direct.image());
        assertThat(new MixedScenes(43).scene(1234).image()).isNotEqualTo(direct.image());
    }

    @Test
    void labelsAreValidAndCoverAllClassesAndShapes() {
        MixedScenes g = new MixedScenes(3);
        assertThat(g.classNames()).containsExactly("box", "ball", "pole", "slab", "tri");
        Set<Integer> classes = new HashSet<>();
        int tall = 0;
        int wide = 0;
        double minSide = Double.MAX_VALUE;
        for (int i = 0; i < SCENES; i++) {
            SyntheticScene s = g.scene(i);
            assertThat(s.labels().objects().size() + s.occludedDropped()).isBetween(1, 6);
            for (LabeledObject o : s.labels().objects()) {
                SceneChecks.assertValidPixelBox(o, 320, 240);
                classes.add(o.classId());
                Box b = o.box();
                tall += b.width() / b.height() < 1 / 2.5 ? 1 : 0;
                wide += b.width() / b.height() > 2.5 ? 1 : 0;
                minSide = Math.min(minSide, Math.min(b.width(), b.height()));
                // sides are at most 70% of the image (+1 px of snapping)
                assertThat(b.width()).isLessThanOrEqualTo(0.7 * 320 + 1);
                assertThat(b.height()).isLessThanOrEqualTo(0.7 * 240 + 1);
            }
        }
        assertThat(classes).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(tall).isGreaterThan(10);
        assertThat(wide).isGreaterThan(10);
        // narrowest sides are drawn from 12 px continuous: 11..13 px after snapping, 20 px is "small"
        assertThat(minSide).isBetween(11.0, 20.0);
    }

    @Test
    void classShapesAreTypicalAndFarFromHeads() {
        // median (log w, log h) per class; heads are ~22 x 25 px, every mixed class must be at least
        // 0.6 (a factor ~1.8) away in log space so that k-means anchors of the two datasets differ
        double[] heads = medianLogShape(HeadsScenesTest.boxes(new HeadsScenes(1), 50));
        List<List<Box>> perClass = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            perClass.add(new ArrayList<>());
        }
        MixedScenes g = new MixedScenes(1);
        for (int i = 0; i < SCENES; i++) {
            g.scene(i).labels().objects().forEach(o -> perClass.get(o.classId()).add(o.box()));
        }
        for (int k = 0; k < 5; k++) {
            double[] m = medianLogShape(perClass.get(k));
            assertThat(Math.hypot(m[0] - heads[0], m[1] - heads[1])).as(g.classNames().get(k)).isGreaterThan(0.6);
        }
        double[] pole = medianLogShape(perClass.get(2));
        double[] slab = medianLogShape(perClass.get(3));
        double[] ball = medianLogShape(perClass.get(1));
        assertThat(pole[1] - pole[0]).isGreaterThan(Math.log(2.5));
        assertThat(slab[0] - slab[1]).isGreaterThan(Math.log(2.5));
        assertThat(Math.abs(ball[0] - ball[1])).isLessThan(Math.log(1.15));
    }

    @Test
    void flatSingleObjectBoxBoundsExactlyItsDrawnPixels() {
        MixedScenes g = new MixedScenes(MixedConfig.defaults().withObjects(1, 1).withBackdrop(Backdrop.FLAT), 5);
        Set<Integer> classes = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            SyntheticScene s = g.scene(i);
            SceneChecks.assertBoxBoundsDrawnPixels(s);
            classes.add(s.labels().objects().get(0).classId());
        }
        assertThat(classes).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void occludedObjectsAreDroppedOnlyByTheVisibilityThreshold() {
        MixedScenes keepAll = new MixedScenes(MixedConfig.defaults().withMinVisibleFraction(0), 9);
        MixedScenes strict = new MixedScenes(9);
        int dropped = 0;
        for (int i = 0; i < SCENES; i++) {
            SyntheticScene all = keepAll.scene(i);
            SyntheticScene kept = strict.scene(i);
            assertThat(kept.image()).isEqualTo(all.image());
            assertThat(all.labels().objects()).containsSubsequence(kept.labels().objects());
            assertThat(kept.labels().objects().size() + kept.occludedDropped())
                    .isEqualTo(all.labels().objects().size());
            dropped += kept.occludedDropped();
        }
        assertThat(dropped).isPositive();
    }

    @Test
    void badConfigIsRejectedWithTheFieldName() {
        assertThatThrownBy(() -> MixedConfig.defaults().withObjects(3, 2)).hasMessageContaining("maxObjects");
        assertThatThrownBy(() -> MixedConfig.defaults().withSize(40, 240)).hasMessageContaining("60x60");
    }

    /** Median log width and median log height. */
    private static double[] medianLogShape(List<Box> boxes) {
        double[] lw = boxes.stream().mapToDouble(b -> Math.log(b.width())).sorted().toArray();
        double[] lh = boxes.stream().mapToDouble(b -> Math.log(b.height())).sorted().toArray();
        assertThat(lw).hasSizeGreaterThan(20);
        return new double[] {lw[lw.length / 2], lh[lh.length / 2]};
    }

    @Test
    void classNamesFollowTheEnum() {
        assertThat(new MixedScenes(0).classNames())
                .isEqualTo(Arrays.stream(MixedClass.values()).map(MixedClass::label).toList());
    }
}
