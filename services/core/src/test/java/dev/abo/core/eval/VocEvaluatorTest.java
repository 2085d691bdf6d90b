package dev.abo.core.eval;

import static dev.abo.core.eval.Scenes.box;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import org.junit.jupiter.api.Test;

/**
 * Hand-derived cases for the VOC evaluator. rec/prec are over the score-sorted detections;
 * 11-point AP = sum over t = 0, .1, ..., 1 of max{prec : rec >= t} / 11; all-point AP = area under
 * the envelope of prec, with rec padded by 0 and 1.
 */
class VocEvaluatorTest {
    private static final double TOL = 1e-12;

    private static double ap(Scenes s, VocApMethod method) {
        return new VocEvaluator(VocEvalConfig.of(method)).evaluate(s.dataset(), s.detections()).classAp(0).getAsDouble();
    }

    @Test
    void perfectDetectionsGiveOne() {
        // rec = [.5, 1], prec = [1, 1]: every level sees precision 1
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 50, 50)).det("1", 0, box(0, 0, 50, 50), 0.9)
                .gt("2", 0, box(5, 5, 60, 60)).det("2", 0, box(5, 5, 60, 60), 0.8);
        assertThat(ap(s, VocApMethod.ELEVEN_POINT_2007)).isCloseTo(1, within(TOL));
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(1, within(TOL));
    }

    @Test
    void falsePositiveBetweenTruePositives() {
        // 3 objects; sorted TP, FP, TP, FP: rec = [1/3,1/3,2/3,2/3], prec = [1,1/2,2/3,1/2]
        // 11-point: t = 0,.1,.2,.3 -> 1 (rec 1/3 >= .3); t = .4,.5,.6 -> 2/3; t >= .7 -> 0
        //   AP = (4 + 3 * 2/3) / 11 = 6/11
        // all-point: mrec = [0,1/3,1/3,2/3,2/3,1], envelope of [0,1,1/2,2/3,1/2,0] = [1,1,2/3,2/3,1/2,0]
        //   AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 0 = 5/9
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 0, 300, 100)).gt("1", 0, box(400, 0, 500, 100))
                .det("1", 0, box(0, 0, 100, 100), 0.9)
                .det("1", 0, box(600, 600, 700, 700), 0.8)
                .det("1", 0, box(200, 0, 300, 100), 0.7)
                .det("1", 0, box(800, 800, 900, 900), 0.6);
        assertThat(ap(s, VocApMethod.ELEVEN_POINT_2007)).isCloseTo(6.0 / 11, within(TOL));
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(5.0 / 9, within(TOL));
    }

    @Test
    void oneFalsePositiveRankedAboveOneTruePositive() {
        // 1 object; FP then TP: rec = [0, 1], prec = [0, 1/2]
        // 11-point: every t has rec 1 >= t with prec 1/2 -> 11 * (1/2) / 11 = 1/2
        // all-point: mrec = [0,0,1,1], envelope [1/2,1/2,1/2,0]; recall changes 0 -> 1 once: 1 * 1/2
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 100, 100))
                .det("1", 0, box(500, 500, 600, 600), 0.9)
                .det("1", 0, box(0, 0, 100, 100), 0.8);
        assertThat(ap(s, VocApMethod.ELEVEN_POINT_2007)).isCloseTo(0.5, within(TOL));
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(0.5, within(TOL));
    }

    @Test
    void duplicateDetectionIsAFalsePositive() {
        // objects A, B; detections A (.9), A (.8), B (.7): rec = [.5,.5,1], prec = [1,.5,2/3]
        // 11-point: t = 0...0.5 (6 levels) -> 1, t = .6...1 (5) -> 2/3: (6 + 10/3) / 11 = 28/33
        // all-point: envelope [1,1,2/3,2/3,0] over mrec [0,.5,.5,1,1]: .5 * 1 + .5 * 2/3 = 5/6
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 0, 300, 100))
                .det("1", 0, box(0, 0, 100, 100), 0.9)
                .det("1", 0, box(0, 0, 100, 100), 0.8)
                .det("1", 0, box(200, 0, 300, 100), 0.7);
        assertThat(ap(s, VocApMethod.ELEVEN_POINT_2007)).isCloseTo(28.0 / 33, within(TOL));
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(5.0 / 6, within(TOL));
    }

    @Test
    void detectionOnADifficultObjectIsNeitherTrueNorFalse() {
        // one normal and one difficult object (npos = 1); the detection on the difficult one (.9)
        // is skipped: rec = [0, 1], prec = [0, 1] -> AP 1 both ways (as an FP it would be 1/2)
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100))
                .object("1", new LabeledObject(box(200, 0, 300, 100), 0, true, false, 10000))
                .det("1", 0, box(200, 0, 300, 100), 0.9)
                .det("1", 0, box(0, 0, 100, 100), 0.8);
        assertThat(ap(s, VocApMethod.ELEVEN_POINT_2007)).isCloseTo(1, within(TOL));
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(1, within(TOL));
    }

    @Test
    void aCrowdRegionIsIgnoredLikeADifficultObject() {
        // one normal object, one crowd region (npos = 1); sorted: crowd hit (.9) skipped, FP (.85), TP (.8):
        // rec = [0, 1], prec = [0, 1/2] -> AP 1/2 both ways (11-point: every t sees 1/2; all-point: 1 * 1/2).
        // Were the crowd hit a FP: prec of the TP 1/3; were the region a positive (npos 2): another value again
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100))
                .object("1", new LabeledObject(box(200, 0, 400, 100), 0, false, true, 15000))
                .det("1", 0, box(200, 0, 400, 100), 0.9)
                .det("1", 0, box(600, 600, 700, 700), 0.85)
                .det("1", 0, box(0, 0, 100, 100), 0.8);
        assertThat(ap(s, VocApMethod.ELEVEN_POINT_2007)).isCloseTo(0.5, within(TOL));
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(0.5, within(TOL));
        // a class with only a crowd region has no AP, like one with only difficult objects
        Scenes onlyCrowd = new Scenes("a").object("1", new LabeledObject(box(0, 0, 10, 10), 0, false, true, 100))
                .det("1", 0, box(0, 0, 10, 10), 0.9);
        assertThat(new VocEvaluator(VocEvalConfig.of(VocApMethod.ALL_POINT)).evaluate(onlyCrowd.dataset(),
                onlyCrowd.detections()).classAp(0)).isEmpty();
    }

    @Test
    void noDetectionsGiveZeroAndClassesWithoutGroundTruthAreLeftOutOfTheMean() {
        // class a: perfect -> 1; class b: objects but no detection -> 0; class c: only a difficult
        // object -> no AP; class d: nothing -> no AP. mAP = (1 + 0) / 2
        Scenes s = new Scenes("a", "b", "c", "d")
                .gt("1", 0, box(0, 0, 100, 100)).det("1", 0, box(0, 0, 100, 100), 0.9)
                .gt("1", 1, box(200, 0, 300, 100))
                .object("1", new LabeledObject(box(400, 0, 500, 100), 2, true, false, 10000))
                .det("1", 2, box(400, 0, 500, 100), 0.9)
                .det("1", 3, box(400, 0, 500, 100), 0.9);
        for (VocApMethod m : VocApMethod.values()) {
            VocResult r = new VocEvaluator(VocEvalConfig.of(m)).evaluate(s.dataset(), s.detections());
            assertThat(r.classAp(1).getAsDouble()).isZero();
            assertThat(r.classAp(2)).isEmpty();
            assertThat(r.classAp(3)).isEmpty();
            assertThat(r.classesWithAp()).isEqualTo(2);
            assertThat(r.meanAp().getAsDouble()).isCloseTo(0.5, within(TOL));
        }
    }

    @Test
    void scoreTiesKeepInputOrder() {
        // two objects; an FP and a TP with equal score.
        // FP first: rec = [0,.5], prec = [0,.5]; all-point: envelope .5 on recall 0 -> .5: AP .25
        // TP first: rec = [.5,.5], prec = [1,.5]; all-point: 1 on recall 0 -> .5: AP .5
        Scenes fpFirst = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 200, 300, 300))
                .det("1", 0, box(500, 500, 600, 600), 0.5)
                .det("1", 0, box(0, 0, 100, 100), 0.5);
        Scenes tpFirst = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(200, 200, 300, 300))
                .det("1", 0, box(0, 0, 100, 100), 0.5)
                .det("1", 0, box(500, 500, 600, 600), 0.5);
        assertThat(ap(fpFirst, VocApMethod.ALL_POINT)).isCloseTo(0.25, within(TOL));
        assertThat(ap(tpFirst, VocApMethod.ALL_POINT)).isCloseTo(0.5, within(TOL));
    }

    @Test
    void iouEqualToTheThresholdIsATruePositive() {
        // (0,0)-(10,5) on (0,0)-(10,10): IoU 50/100 = 0.5 exactly -> TP under ">=" -> AP 1;
        // with threshold 0.6 it is an FP -> AP 0
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 10, 10)).det("1", 0, box(0, 0, 10, 5), 0.9);
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(1, within(TOL));
        VocEvalConfig strict = new VocEvalConfig(VocApMethod.ALL_POINT, 0.6, PixelConvention.CONTINUOUS);
        assertThat(new VocEvaluator(strict).evaluate(s.dataset(), s.detections()).classAp(0).getAsDouble()).isZero();
    }

    @Test
    void plusOnePixelConventionChangesTheOverlap() {
        // inclusive pixels (0,0)-(9,9) vs (0,0)-(9,4):
        //   continuous: 9*4 / (81 + 36 - 36) = 36/81 = .444 < .5 -> FP -> AP 0
        //   +1 pixel:   10*5 / (100 + 50 - 50) = 50/100 = .5 >= .5 -> TP -> AP 1
        Scenes s = new Scenes("a").gt("1", 0, box(0, 0, 9, 9)).det("1", 0, box(0, 0, 9, 4), 0.9);
        assertThat(ap(s, VocApMethod.ALL_POINT)).isZero();
        VocEvalConfig devkit = new VocEvalConfig(VocApMethod.ALL_POINT, 0.5, PixelConvention.INCLUSIVE_PLUS_ONE);
        assertThat(new VocEvaluator(devkit).evaluate(s.dataset(), s.detections()).classAp(0).getAsDouble())
                .isCloseTo(1, within(TOL));
    }

    @Test
    void bestOverlapObjectAlreadyMatchedMakesAFalsePositive() {
        // objects A (0,0)-(100,100) and B (0,15)-(100,115). Detection 1 = A exactly (TP on A).
        // Detection 2 = (0,5)-(100,105): IoU with A 9500/10500 = .905, with B 9000/11000 = .818.
        // Its best overlap is A, already matched -> FP, although B (unmatched) is above .5 too.
        // rec = [.5,.5], prec = [1,.5] -> all-point AP = .5 * 1 = .5 (B taken would give 1)
        Scenes s = new Scenes("a")
                .gt("1", 0, box(0, 0, 100, 100)).gt("1", 0, box(0, 15, 100, 115))
                .det("1", 0, box(0, 0, 100, 100), 0.9)
                .det("1", 0, box(0, 5, 100, 105), 0.8);
        assertThat(ap(s, VocApMethod.ALL_POINT)).isCloseTo(0.5, within(TOL));
    }

    @Test
    void configRejectsBadThreshold() {
        assertThatThrownBy(() -> new VocEvalConfig(VocApMethod.ALL_POINT, 0, PixelConvention.CONTINUOUS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iouThreshold");
    }
}
