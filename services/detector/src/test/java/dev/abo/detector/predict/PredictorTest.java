package dev.abo.detector.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.augment.AffineCrop;
import dev.abo.core.augment.InputFit;
import dev.abo.core.augment.Letterbox;
import dev.abo.core.augment.Stretch;
import dev.abo.core.detect.Detection;
import dev.abo.core.detect.Nms;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PredictorTest {

    /** 64 px input, 5 blocks (stride 16, grid 4x4), A = 2, C = 2. */
    private static final DetectorConfig HAND = DetectorConfig.defaults(64, 2).withBackbone(List.of(4, 4, 4, 4, 4))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED);

    /** 32 px input, 3 blocks (stride 4, grid 8x8), A = 2, C = 2: an untrained net with many candidates. */
    private static final DetectorConfig TINY = DetectorConfig.defaults(32, 2).withBackbone(List.of(4, 8, 8))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED);

    private static ComputationGraph tinyNet() {
        return DetectorGraph.build(TINY, AnchorSet.of(List.of(new Shape(6, 8), new Shape(14, 10)), 32));
    }

    private static void set(INDArray out, int b, int k, int y, int x, double... values) {
        for (int q = 0; q < values.length; q++) {
            out.putScalar(new long[] {b, k * (5 + 2) + q, y, x}, values[q]);
        }
    }

    @Test
    void decodeScalesGridUnitsToPixelsClipsScoresByObjectnessTimesClassAndSuppressesPerClass() {
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 2, 2 * 7, 4, 4);
        // anchor 0, cell (x=1, y=2): centre (1.5, 2.5) size (2, 1) grid = (24, 40) 32x16 px -> (8, 32, 40, 48)
        set(out, 0, 0, 2, 1, 1.5, 2.5, 2, 1, 0.8, 0.25, 0.75);
        // anchor 1, same cell, shifted 0.1 cell = 1.6 px: (9.6, 32, 41.6, 48), IoU 486.4 / 537.6 = 0.905 with the first
        set(out, 0, 1, 2, 1, 1.6, 2.5, 2, 1, 0.5, 0.9, 0.1);
        // anchor 0, cell (3, 3): centre (3.9, 3.9) size 1 = (62.4, 62.4) 16x16 px, clipped to (54.4, 54.4, 64, 64)
        set(out, 0, 0, 3, 3, 3.9, 3.9, 1, 1, 0.3, 1.0, 0.0);
        // image 1: one box below the score threshold (0.004 * 1 < 0.005)
        set(out, 1, 1, 0, 0, 0.5, 0.5, 1, 1, 0.004, 1.0, 0.0);

        List<List<Detection>> d = Predictor.decode(out, HAND, Nms.paper().withMinScore(Predictor.EVAL_MIN_SCORE));

        assertThat(d).hasSize(2);
        assertThat(d.get(1)).isEmpty();
        List<Detection> img = d.get(0);
        // class 1: 0.8 * 0.75 = 0.6 (anchor 0) suppresses 0.5 * 0.1 = 0.05 (anchor 1, IoU 0.905 > 0.45);
        // class 0: 0.5 * 0.9 = 0.45 (anchor 1) suppresses 0.8 * 0.25 = 0.2 (anchor 0); the clipped box scores 0.3
        assertThat(img).hasSize(3);
        assertDetection(img.get(0), new Box(8, 32, 40, 48), 1, 0.6);
        assertDetection(img.get(1), new Box(9.6, 32, 41.6, 48), 0, 0.45);
        assertDetection(img.get(2), new Box(54.4, 54.4, 64, 64), 0, 0.3);
    }

    @Test
    void aHigherMinScoreOnlyRemovesLowScoringDetections() {
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 1, 2 * 7, 4, 4);
        set(out, 0, 0, 2, 1, 1.5, 2.5, 2, 1, 0.8, 0.25, 0.75);
        set(out, 0, 0, 3, 3, 3.9, 3.9, 1, 1, 0.3, 1.0, 0.0);

        List<Detection> display = Predictor.decode(out, HAND, Nms.paper().withMinScore(Predictor.DISPLAY_MIN_SCORE)).get(0);

        // 0.6 and 0.3 pass 0.25; 0.8 * 0.25 = 0.2 (class 0 of the first box) does not
        assertThat(display).extracting(Detection::score).containsExactly(0.8 * 0.75, 0.3);
    }

    private static void assertDetection(Detection d, Box box, int classId, double score) {
        assertThat(d.classId()).isEqualTo(classId);
        assertThat(d.score()).isCloseTo(score, within(1e-12));
        assertThat(d.box().x1()).isCloseTo(box.x1(), within(1e-9));
        assertThat(d.box().y1()).isCloseTo(box.y1(), within(1e-9));
        assertThat(d.box().x2()).isCloseTo(box.x2(), within(1e-9));
        assertThat(d.box().y2()).isCloseTo(box.y2(), within(1e-9));
    }

    private static RgbImage noise(int w, int h, long seed) {
        Random rng = new Random(seed);
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, rng.nextInt(256));
                }
            }
        }
        return img;
    }

    @Test
    void detectOnAnArbitrarySizeImageIsTheInputDetectionsMappedByTheFitsInverse() {
        Predictor p = new Predictor(tinyNet(), TINY, Nms.paper().withMinScore(0.05));
        RgbImage original = noise(50, 30, 1);
        for (InputFit fit : List.of(new Stretch(32, 32), new Letterbox(32, 32, AffineCrop.GREY_127))) {
            AffineCrop crop = fit.crop(50, 30);
            List<Detection> atInput = p.detectInputs(List.of(fit.apply(original, List.of()).image())).get(0);
            List<Detection> expected = new ArrayList<>();
            for (Detection d : atInput) {
                Box b = fit.toSource(d.box(), 50, 30).clip(50, 30);
                if (b.area() > 0) {
                    expected.add(new Detection(b, d.classId(), d.score()));
                }
            }

            List<Detection> got = p.detect(original, fit);

            assertThat(atInput).isNotEmpty();
            assertThat(got).isEqualTo(expected);
            for (Detection d : got) {
                assertThat(d.box().x1()).isBetween(0.0, 50.0);
                assertThat(d.box().x2()).isBetween(0.0, 50.0);
                assertThat(d.box().y1()).isBetween(0.0, 30.0);
                assertThat(d.box().y2()).isBetween(0.0, 30.0);
            }
            // the inverse really inverts: an input box goes to the source and back unchanged
            Box in = atInput.get(0).box();
            Box back = crop.mapBox(crop.toSource(in));
            assertThat(back.x1()).isCloseTo(in.x1(), within(1e-9));
            assertThat(back.y2()).isCloseTo(in.y2(), within(1e-9));
        }
        assertThat(p.detect(original)).isEqualTo(p.detect(original, new Stretch(32, 32)));
    }

    @Test
    void concurrentCallersGetExactlyTheSingleThreadedResults() throws Exception {
        Predictor p = new Predictor(tinyNet(), TINY, Nms.paper().withMinScore(0.05));
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(noise(20 + 5 * i, 40 - 2 * i, 100 + i));
        }
        List<List<Detection>> reference = new ArrayList<>();
        for (RgbImage im : images) {
            reference.add(p.detect(im));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Detection>>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (RgbImage im : images) {
                    Callable<List<Detection>> call = () -> p.detect(im);
                    futures.add(pool.submit(call));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(reference.get(i % images.size()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reference.stream().mapToInt(List::size).sum()).isGreaterThan(0);
    }
}
