package dev.abo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticEvalSetTest {

    @Test
    void sameSeedSameSetOtherSeedOtherSet() {
        SyntheticEvalSet a = SyntheticEvalSet.generate(20, 15, 5, 7);
        SyntheticEvalSet b = SyntheticEvalSet.generate(20, 15, 5, 7);
        SyntheticEvalSet c = SyntheticEvalSet.generate(20, 15, 5, 8);
        assertThat(a).isEqualTo(b);
        assertThat(a.detections()).isNotEqualTo(c.detections());
    }

    @Test
    void hasTheRequestedShapeWithValidBoxesOnAQuarterPixelGrid() {
        SyntheticEvalSet s = SyntheticEvalSet.generate(50, 30, 6, 1);
        assertThat(s.dataset().images()).hasSize(50);
        assertThat(s.dataset().classNames()).hasSize(6);
        for (LabeledImage image : s.dataset().images()) {
            List<Detection> dets = s.detections().get(image.id());
            assertThat(dets).hasSize(30);
            assertThat(image.objects()).hasSizeBetween(1, 12);
            for (LabeledObject o : image.objects()) {
                assertThat(o.box().invalidReason(image.width(), image.height())).isNull();
                assertThat(o.box().x1() * 4).isEqualTo(Math.rint(o.box().x1() * 4));
                assertThat(o.box().x2() * 4).isEqualTo(Math.rint(o.box().x2() * 4));
            }
            for (Detection d : dets) {
                assertThat(d.classId()).isBetween(0, 5);
                assertThat(d.score()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void coversAllAreaRangesAndIsNeitherPerfectNorHopeless() {
        SyntheticEvalSet s = SyntheticEvalSet.generate(200, 30, 4, 5);
        double[] st = new CocoEvaluator().evaluate(s.dataset(), s.detections()).asArray();
        // APs, APm, APl all defined (objects in every range) and AP strictly between 0 and 1
        assertThat(st[3]).isGreaterThan(-1);
        assertThat(st[4]).isGreaterThan(-1);
        assertThat(st[5]).isGreaterThan(-1);
        assertThat(st[0]).isStrictlyBetween(0.0, 1.0);
    }
}
