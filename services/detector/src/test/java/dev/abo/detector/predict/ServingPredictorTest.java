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
import dev.abo.core.augment.Letterbox;
import dev.abo.core.detect.Detection;
import dev.abo.core.detect.Nms;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ServingPredictorTest {
    /** 32 px input, 3 blocks (stride 4, grid 8x8), A = 2, C = 2. */
    private static final DetectorConfig TINY = DetectorConfig.defaults(32, 2).withBackbone(List.of(4, 8, 8))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED);
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(6, 8), new Shape(14, 10)), 32);

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
    void theHeadsOnlyCopyOutputsExactlyTheFullNetworksMergeActivation() {
        for (DetectorConfig.Precision precision : DetectorConfig.Precision.values()) {
            DetectorConfig config = TINY.withPrecision(precision);
            ComputationGraph net = DetectorGraph.build(config, ANCHORS);
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DetectorGraph.dataType(config), 3, 3, 32, 32);
            INDArray merge = net.feedForward(new INDArray[] {x}, false).get(DetectorGraph.MERGE);

            INDArray heads = ServingPredictor.headsOnly(net).outputSingle(false, x);

            assertThat(heads.dataType()).isEqualTo(DetectorGraph.dataType(config));
            assertThat(heads.shape()).containsExactly(3, 2 * 5 + 4, 8, 8);
            assertThat(heads).as("%s", precision).isEqualTo(merge);
        }
    }

    @Test
    void detectionsEqualPredictorsForAnImageOfAnotherSizeAndShape() {
        DetectorConfig config = TINY.withPrecision(DetectorConfig.Precision.DOUBLE);
        ComputationGraph net = DetectorGraph.build(config, ANCHORS);
        Nms nms = Nms.paper().withMinScore(0.05);
        Predictor reference = new Predictor(net, config, nms);
        ServingPredictor serving = new ServingPredictor(net, config);
        RgbImage original = noise(50, 30, 1);

        List<Detection> expected = reference.detect(original);
        List<Detection> got = serving.detect(original, nms);
        List<Detection> letterboxed = serving.detect(original, new Letterbox(32, 32, AffineCrop.GREY_127), nms);

        assertThat(expected).isNotEmpty();
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(got.get(i).classId()).isEqualTo(expected.get(i).classId());
            assertThat(got.get(i).score()).isCloseTo(expected.get(i).score(), within(1e-12));
            assertThat(got.get(i).box().x1()).isCloseTo(expected.get(i).box().x1(), within(1e-9));
            assertThat(got.get(i).box().y2()).isCloseTo(expected.get(i).box().y2(), within(1e-9));
        }
        assertThat(letterboxed).isEqualTo(Predictor.toSource(serving.detectInputs(
                List.of(new Letterbox(32, 32, AffineCrop.GREY_127).apply(original, List.of()).image()), nms).get(0),
                new Letterbox(32, 32, AffineCrop.GREY_127).crop(50, 30), 50, 30));
    }

    @Test
    void laterChangesToTheSourceNetworkDoNotReachThePredictor() {
        ComputationGraph net = DetectorGraph.build(TINY, ANCHORS);
        ServingPredictor serving = new ServingPredictor(net, TINY);
        RgbImage image = noise(40, 40, 2);
        Nms nms = Nms.paper().withMinScore(0.05);
        List<Detection> before = serving.detect(image, nms);

        net.params().addi(0.5);                                  // weights and log-anchors alike
        List<Detection> after = serving.detect(image, nms);

        assertThat(before).isNotEmpty();
        assertThat(after).isEqualTo(before);
        assertThat(new ServingPredictor(net, TINY).detect(image, nms)).isNotEqualTo(before);
    }

    @Test
    void concurrentCallersGetExactlyTheSingleThreadedResults() throws Exception {
        ServingPredictor p = new ServingPredictor(DetectorGraph.build(TINY, ANCHORS), TINY);
        Nms nms = Nms.paper().withMinScore(0.05);
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(noise(20 + 5 * i, 40 - 2 * i, 100 + i));
        }
        List<List<Detection>> reference = new ArrayList<>();
        for (RgbImage im : images) {
            reference.add(p.detect(im, nms));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Detection>>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (RgbImage im : images) {
                    Callable<List<Detection>> call = () -> p.detect(im, nms);
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
