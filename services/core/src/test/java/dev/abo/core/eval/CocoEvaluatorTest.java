package dev.abo.core.eval;

import static dev.abo.core.eval.Scenes.box;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import org.junit.jupiter.api.Test;

/**
 * Hand-derived cases for the COCO evaluator. Notation: rc/pr are the recall/precision arrays over
 * the score-sorted detections, "env" the precision envelope, and AP the mean over the 101 recall
 * thresholds r = 0, .01, ..., 1 of env[first i with rc[i] >= r] (0 if none). Precision carries
 * pycocotools' +eps in the denominator, hence the 1e-12 tolerance.
 */
class CocoEvaluatorTest {
    private static final double TOL = 1e-12;
    private final CocoEvaluator evaluator = new CocoEvaluator();

    private static double[] stats(Scenes s) {
        return new CocoEvaluator().evaluate(s.dataset(), s.detections()).asArray();
    }

    @Test
    void perfectDetectionsOfLargeObjectsGiveOneAndMinusOneForEmptyAreaRanges() {
        // two 100x100 objects (area 10000 >= 96^2: large), each detected exactly: IoU 1 at every
        // threshold, rc = [.5, 1], pr = [1, 1] -> AP 1; small and medium have no gt -> -1
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).det("1", 0, box(0, 0, 100, 100), 0.9)
                .gt("2", 0, box(10, 10, 110, 110)).det("2", 0, box(10, 10, 110, 110), 0.8);
        assertThat(stats(s)).containsExactly(new double[] {1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, 1}, within(TOL));
    }

    @Test
    void falsePositiveAboveTruePositives() {
        // 3 objects; sorted detections TP, FP, TP, FP (FPs far away, TPs exact):
        // tp = [1,1,2,2], fp = [0,1,1,2], rc = [1/3,1/3,2/3,2/3], pr = [1,1/2,2/3,1/2]
        // env = [1,2/3,2/3,1/2]; r = 0..0.33 (34 values) -> 1; r = 0.34..0.66 (33) -> 2/3; r >= 0.67 -> 0
        // AP = (34 + 33 * 2/3) / 101 = 56/101 at every IoU threshold; AR100 = 2/3
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 0, 300, 100)).gt("1", 0, box(400, 0, 500, 100))
                .det("1", 0, box(0, 0, 100, 100), 0.9)
                .det("1", 0, box(600, 600, 700, 700), 0.8)
                .det("1", 0, box(200, 0, 300, 100), 0.7)
                .det("1", 0, box(800, 800, 900, 900), 0.6);
        double[] st = stats(s);
        assertThat(st[0]).isCloseTo(56.0 / 101, within(TOL));
        assertThat(st[1]).isCloseTo(56.0 / 101, within(TOL));
        assertThat(st[8]).isCloseTo(2.0 / 3, within(TOL));
        // maxDets 1: only the top detection (a TP) -> recall 1/3
        assertThat(st[6]).isCloseTo(1.0 / 3, within(TOL));
    }

    @Test
    void duplicateDetectionIsAFalsePositive() {
        // 2 objects A, B; detections A (0.9), A again (0.8), B (0.7): the duplicate finds A matched
        // and is FP. tp = [1,1,2], fp = [0,1,1], rc = [.5,.5,1], pr = [1,.5,2/3], env = [1,2/3,2/3]
        // r = 0..0.50 (51 values) -> 1, r = 0.51..1 (50) -> 2/3: AP = (51 + 100/3) / 101 = 253/303
        // (were the duplicate not counted, AP would be 1)
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 0, 300, 100))
                .det("1", 0, box(0, 0, 100, 100), 0.9)
                .det("1", 0, box(0, 0, 100, 100), 0.8)
                .det("1", 0, box(200, 0, 300, 100), 0.7);
        assertThat(stats(s)[0]).isCloseTo(253.0 / 303, within(TOL));
    }

    @Test
    void detectionsInsideACrowdRegionAreIgnoredEvenRepeatedly() {
        // crowd region (200,0)-(400,200); two detections inside it: IoU to a crowd = intersection /
        // detection area = 1, both match the (ignored) crowd -> ignored, not FP. The exact detection
        // of the regular object is the only counted one: rc = [0,0,1], pr = [0,0,1], env = 1 -> AP 1.
        // (Counted as FPs they would give AP 1/3.)
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100))
                .object("1", new LabeledObject(box(200, 0, 400, 200), 0, false, true, 40000))
                .det("1", 0, box(250, 50, 300, 100), 0.95)
                .det("1", 0, box(260, 60, 310, 110), 0.9)
                .det("1", 0, box(0, 0, 100, 100), 0.8);
        double[] st = stats(s);
        assertThat(st[0]).isCloseTo(1, within(TOL));
        assertThat(st[8]).isCloseTo(1, within(TOL));
    }

    @Test
    void classWithOnlyCrowdOrNoGroundTruthIsLeftOutOfTheMeans() {
        // class a: perfect (AP 1); class b: only a crowd gt -> npig 0 -> -1; class c: detections only
        // -> -1. The mean over defined values is class a's alone.
        Scenes s = new Scenes("a", "b", "c")
                .gt("1", 0, box(0, 0, 100, 100)).det("1", 0, box(0, 0, 100, 100), 0.9)
                .object("1", new LabeledObject(box(200, 0, 400, 200), 1, false, true, 40000))
                .det("1", 1, box(500, 500, 600, 600), 0.9)
                .det("1", 2, box(500, 500, 600, 600), 0.9);
        CocoStats st = evaluator.evaluate(s.dataset(), s.detections());
        assertThat(st.asArray()[0]).isCloseTo(1, within(TOL));
        assertThat(st.classAp(0).getAsDouble()).isCloseTo(1, within(TOL));
        assertThat(st.classAp(1)).isEmpty();
        assertThat(st.classAp50(2)).isEmpty();
    }

    @Test
    void noDetectionsGiveZeroNotMinusOne() {
        // one large object and no detection: npig = 1, nd = 0 -> precision 0 everywhere, recall 0;
        // area ranges without gt stay -1
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 100, 100)).image("2");
        assertThat(stats(s)).containsExactly(new double[] {0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1, 0}, within(TOL));
    }

    @Test
    void noGroundTruthAtAllGivesMinusOneEverywhere() {
        Scenes s = new Scenes("a").image("1").det("1", 0, box(0, 0, 10, 10), 0.5);
        assertThat(stats(s)).containsOnly(-1);
    }

    @Test
    void scoreTiesAcrossImagesFollowImageOrder() {
        // one object per image; image "fp" has a far-away detection, image "tp" an exact one, both
        // score 0.5. npig = 2.
        // order fp, tp: tp = [0,1], fp = [1,1], rc = [0,.5], pr = [0,.5], env = [.5,.5]
        //   r = 0..0.50 (51 values) -> .5, r > .5 -> 0: AP = 25.5/101
        // order tp, fp: rc = [.5,.5], pr = [1,.5], env = [1,.5]: r = 0..0.50 -> 1: AP = 51/101
        Scenes fpFirst = new Scenes("a")
                .gt("fp", 0, box(0, 0, 100, 100)).det("fp", 0, box(500, 500, 600, 600), 0.5)
                .gt("tp", 0, box(0, 0, 100, 100)).det("tp", 0, box(0, 0, 100, 100), 0.5);
        Scenes tpFirst = new Scenes("a")
                .gt("tp", 0, box(0, 0, 100, 100)).det("tp", 0, box(0, 0, 100, 100), 0.5)
                .gt("fp", 0, box(0, 0, 100, 100)).det("fp", 0, box(500, 500, 600, 600), 0.5);
        assertThat(stats(fpFirst)[0]).isCloseTo(25.5 / 101, within(TOL));
        assertThat(stats(tpFirst)[0]).isCloseTo(51.0 / 101, within(TOL));
    }

    @Test
    void scoreTiesWithinAnImageFollowListOrder() {
        // same as above in one image with two objects: FP listed first -> AP 25.5/101
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 200, 300, 300))
                .det("1", 0, box(500, 500, 600, 600), 0.5)
                .det("1", 0, box(0, 0, 100, 100), 0.5);
        assertThat(stats(s)[0]).isCloseTo(25.5 / 101, within(TOL));
    }

    @Test
    void areaRangesUseGroundTruthAreaAndIgnoreUnmatchedDetectionsOutsideTheRange() {
        // g31: 31x31 (961, small), g33: 33x33 (1089, medium), both detected exactly (scores .8, .7),
        // plus a far-away 20x20 FP (area 400, small) at .9.
        // all:    FP, TP, TP, npig 2: rc = [0,.5,1], pr = [0,.5,2/3], env = 2/3 everywhere -> AP 2/3
        // small:  g33 ignored, its detection matches it -> ignored: FP, TP: rc = [0,1], pr = [0,.5] -> .5
        // medium: g31 ignored (its detection ignored too); the FP is unmatched with area 400 outside
        //         the range -> ignored; only the TP counts -> 1
        // large:  no gt -> -1
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 31, 31)).gt("1", 0, box(100, 100, 133, 133))
                .det("1", 0, box(600, 600, 620, 620), 0.9)
                .det("1", 0, box(0, 0, 31, 31), 0.8)
                .det("1", 0, box(100, 100, 133, 133), 0.7);
        double[] st = stats(s);
        assertThat(st[0]).isCloseTo(2.0 / 3, within(TOL));
        assertThat(st[3]).isCloseTo(0.5, within(TOL));
        assertThat(st[4]).isCloseTo(1, within(TOL));
        assertThat(st[5]).isEqualTo(-1);
        assertThat(st[9]).isCloseTo(1, within(TOL));
        assertThat(st[10]).isCloseTo(1, within(TOL));
    }

    @Test
    void areaBoundaryIsInclusiveAndTheDeclaredAreaDecides() {
        // a 40x40 box declared with area exactly 32^2 = 1024 is both small and medium (pycocotools
        // ignores area < lo or area > hi); detected exactly -> APs = APm = 1, APl = -1
        Scenes s = new Scenes("a")
                .object("1", new LabeledObject(box(0, 0, 40, 40), 0, false, false, 1024))
                .det("1", 0, box(0, 0, 40, 40), 0.9);
        double[] st = stats(s);
        assertThat(st[3]).isCloseTo(1, within(TOL));
        assertThat(st[4]).isCloseTo(1, within(TOL));
        assertThat(st[5]).isEqualTo(-1);
    }

    @Test
    void maxDetsKeepsTheTopScoredDetectionsPerImage() {
        // one object; ten far-away FPs scored .99 .. .90 above the exact TP at .5:
        // AR1 and AR10 see FPs only -> 0; AR100 sees the TP -> 1
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 100, 100));
        for (int i = 0; i < 10; i++) {
            s.det("1", 0, box(500 + i, 500, 600 + i, 600), 0.99 - i * 0.01);
        }
        s.det("1", 0, box(0, 0, 100, 100), 0.5);
        double[] st = stats(s);
        assertThat(st[6]).isZero();
        assertThat(st[7]).isZero();
        assertThat(st[8]).isCloseTo(1, within(TOL));
    }

    @Test
    void iouThresholdsDecideAtWhichLevelsADetectionIsTrue() {
        // detection (0,0)-(100,70) on object (0,0)-(100,100): IoU 0.7, a TP for thresholds
        // .50 .55 .60 .65 .70 (5 of 10) -> AP = 5/10 = .5, AP50 = 1, AP75 = 0
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 100, 100)).det("1", 0, box(0, 0, 100, 70), 0.9);
        double[] st = stats(s);
        assertThat(st[0]).isCloseTo(0.5, within(TOL));
        assertThat(st[1]).isCloseTo(1, within(TOL));
        assertThat(st[2]).isZero();
    }

    @Test
    void unknownImageIsRejected() {
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 10, 10)).det("2", 0, box(0, 0, 10, 10), 0.5);
        java.util.Map<String, java.util.List<dev.abo.core.detect.Detection>> dets = s.detections();
        Scenes gtOnly = new Scenes("a").gt("1", 0, box(0, 0, 10, 10));
        assertThatThrownBy(() -> evaluator.evaluate(gtOnly.dataset(), dets))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'2'");
    }

    @Test
    void thresholdsAreNumpyLinspaceValues() {
        // numpy.linspace(.5, .95, 10)[8] prints 0.8999999999999999; linspace(0, 1, 101)[7] is 0.07
        assertThat(CocoThresholds.iou()[8]).isEqualTo(0.8999999999999999);
        assertThat(CocoThresholds.iou()[5]).isEqualTo(0.75);
        assertThat(CocoThresholds.recall()[7]).isEqualTo(0.07);
        assertThat(CocoThresholds.recall()).hasSize(101).endsWith(0.99, 1.0);
    }
}
