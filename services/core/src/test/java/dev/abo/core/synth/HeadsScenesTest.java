package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadsScenesTest {
    private static final int SCENES = 200;

    @Test
    void sceneIsAPureFunctionOfSeedAndIndex() {
        HeadsScenes a = new HeadsScenes(42);
        SyntheticScene direct = a.scene(1234);
        HeadsScenes b = new HeadsScenes(42);
        for (int i = 0; i < 5; i++) {
            b.scene(i);
        }
        SyntheticScene later = b.scene(1234);
        assertThat(later.image()).isEqualTo(direct.image());
        assertThat(later.labels()).isEqualTo(direct.labels());
        assertThat(later.occludedDropped()).isEqualTo(direct.occludedDropped());
        assertThat(direct.labels().id()).isEqualTo("1234");
        assertThat(direct.labels().file()).isNull();
    }

    @Test
    void otherIndexOrSeedGivesAnotherScene() {
        SyntheticScene s = new HeadsScenes(42).scene(7);
        assertThat(new HeadsScenes(42).scene(8).image()).isNotEqualTo(s.image());
        assertThat(new HeadsScenes(43).scene(7).image()).isNotEqualTo(s.image());
        assertThat(new HeadsScenes(42).scene(8).labels().objects()).isNotEqualTo(s.labels().objects());
    }

    @Test
    void backgroundIsFixedPerSeedAndDiffersBetweenSeeds() {
        // without heads a frame is the seed's scenery after lighting jitter and noise: frames of one
        // seed correlate almost perfectly, frames of two seeds much less
        HeadsConfig empty = HeadsConfig.defaults().withHeads(0, 0);
        HeadsScenes one = new HeadsScenes(empty, 1);
        double same = correlation(one.scene(0).image().rgb(), one.scene(1).image().rgb());
        double other = correlation(one.scene(0).image().rgb(), new HeadsScenes(empty, 2).scene(0).image().rgb());
        assertThat(same).isGreaterThan(0.95);
        assertThat(other).isLessThan(same - 0.2);
        assertThat(CafeBackground.of(320, 240, 1).rgb()).isEqualTo(CafeBackground.of(320, 240, 1).rgb());
    }

    @Test
    void labelsAreValidHeadBoxesOfTenToFortyPixels() {
        HeadsScenes g = new HeadsScenes(3);
        int heads = 0;
        double aspectSum = 0;
        for (int i = 0; i < SCENES; i++) {
            SyntheticScene s = g.scene(i);
            assertThat(s.image().width()).isEqualTo(320);
            assertThat(s.image().height()).isEqualTo(240);
            assertThat(s.labels().objects().size() + s.occludedDropped()).isBetween(5, 25);
            for (LabeledObject o : s.labels().objects()) {
                SceneChecks.assertValidPixelBox(o, 320, 240);
                assertThat(o.classId()).isZero();
                assertThat(o.box().width()).isBetween(10.0, 40.0);
                assertThat(o.box().height()).isBetween(10.0, 40.0);
                // continuous heights are 1.05-1.25 x the widths; pixel snapping moves each side by < 1
                assertThat(o.box().height()).isGreaterThanOrEqualTo(o.box().width() - 1);
                heads++;
                aspectSum += o.box().height() / o.box().width();
            }
        }
        assertThat(heads).isGreaterThan(SCENES * 5);
        assertThat(aspectSum / heads).isBetween(1.05, 1.3);
    }

    @Test
    void flatSingleHeadBoxBoundsExactlyItsDrawnPixels() {
        HeadsScenes g = new HeadsScenes(HeadsConfig.defaults().withHeads(1, 1).withBackdrop(Backdrop.FLAT), 5);
        for (int i = 0; i < 50; i++) {
            SceneChecks.assertBoxBoundsDrawnPixels(g.scene(i));
        }
    }

    @Test
    void occludedHeadsAreDroppedOnlyByTheVisibilityThreshold() {
        // the threshold filters labels and changes no pixel: labels at 0.4 are those at 0 minus the
        // dropped ones, in the same order
        HeadsScenes keepAll = new HeadsScenes(HeadsConfig.defaults().withMinVisibleFraction(0), 9);
        HeadsScenes strict = new HeadsScenes(9);
        int dropped = 0;
        for (int i = 0; i < SCENES; i++) {
            SyntheticScene all = keepAll.scene(i);
            SyntheticScene kept = strict.scene(i);
            assertThat(all.occludedDropped()).isZero();
            assertThat(kept.image()).isEqualTo(all.image());
            assertThat(kept.labels().objects().size() + kept.occludedDropped())
                    .isEqualTo(all.labels().objects().size());
            assertThat(all.labels().objects()).containsSubsequence(kept.labels().objects());
            dropped += kept.occludedDropped();
        }
        assertThat(dropped).isPositive();
    }

    @Test
    void configuredSizeIsRespected() {
        HeadsScenes g = new HeadsScenes(HeadsConfig.defaults().withSize(640, 480), 1);
        assertThat(g.width()).isEqualTo(640);
        assertThat(g.height()).isEqualTo(480);
        SyntheticScene s = g.scene(0);
        assertThat(s.image().width()).isEqualTo(640);
        assertThat(s.labels().height()).isEqualTo(480);
        for (LabeledObject o : s.labels().objects()) {
            SceneChecks.assertValidPixelBox(o, 640, 480);
        }
    }

    @Test
    void datasetCollectsTheLabelsOfConsecutiveScenes() {
        HeadsScenes g = new HeadsScenes(4);
        var d = g.dataset(10, 3);
        assertThat(d.name()).isEqualTo("synthetic:heads");
        assertThat(d.classNames()).containsExactly("head");
        assertThat(d.images()).extracting(im -> im.id()).containsExactly("10", "11", "12");
        assertThat(d.images().get(2)).isEqualTo(g.scene(12).labels());
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> new HeadsScenes(1).scene(-1)).hasMessageContaining("index");
        assertThatThrownBy(() -> HeadsConfig.defaults().withHeads(5, 4)).hasMessageContaining("maxHeads");
        assertThatThrownBy(() -> HeadsConfig.defaults().withSize(60, 60)).hasMessageContaining("maxBoxPx");
        assertThatThrownBy(() -> HeadsConfig.defaults().withMinVisibleFraction(1.5))
                .hasMessageContaining("minVisibleFraction");
    }

    /** Pearson correlation of two byte arrays read as 0..255. */
    static double correlation(byte[] a, byte[] b) {
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i] & 0xFF;
            sb += b[i] & 0xFF;
        }
        double ma = sa / a.length;
        double mb = sb / b.length;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = (a[i] & 0xFF) - ma;
            double db = (b[i] & 0xFF) - mb;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }
        return cov / Math.sqrt(va * vb);
    }

    /** Boxes of every label of scenes 0..n-1. */
    static List<Box> boxes(SceneGenerator g, int n) {
        List<Box> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            g.scene(i).labels().objects().forEach(o -> out.add(o.box()));
        }
        return out;
    }
}
