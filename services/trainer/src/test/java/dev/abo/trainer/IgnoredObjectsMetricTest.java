package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.InputEncoder;
import dev.abo.detector.train.TrainingConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A streamed batch with difficult objects and a crowd region: one training step reports how many objects were
 * left out of the targets, and the trainer's Prometheus counter adds them up. Tiny net: 32 px, 3 blocks 4-8-8
 * (stride 8, grid 4x4), A = 2.
 */
class IgnoredObjectsMetricTest {
    private static final DetectorConfig DETECTOR = DetectorConfig.defaults(32, 1).withBackbone(List.of(4, 8, 8))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED);
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(6, 6), new Shape(14, 14)), 32);

    private static LabeledObject plain(Box b) {
        return LabeledObject.of(b, 0);
    }

    private static LabeledObject difficult(Box b) {
        return new LabeledObject(b, 0, true, false, b.area());
    }

    private static LabeledObject crowd(Box b) {
        return new LabeledObject(b, 0, false, true, b.area());
    }

    @Test
    void aStepCountsTheDifficultAndCrowdObjectsOfItsBatchAndTheCounterAddsThemUp() {
        // image 0: a plain square and a difficult one; image 1: a plain square, a crowd region, a difficult square.
        // Plain squares sit in different cells, so none is dropped: 5 objects, 2 encoded, 3 ignored (by hand)
        List<List<LabeledObject>> objects = List.of(
                List.of(plain(new Box(2, 2, 10, 10)), difficult(new Box(20, 2, 28, 10))),
                List.of(plain(new Box(18, 18, 26, 26)), crowd(new Box(0, 0, 16, 16)), difficult(new Box(2, 20, 10, 28))));
        ComputationGraph net = DetectorGraph.build(DETECTOR, ANCHORS);
        INDArray input = InputEncoder.encode(List.of(RgbImage.blank(32, 32), RgbImage.blank(32, 32)), 32,
                DetectorGraph.dataType(DETECTOR));
        TrainingStep step = new TrainingStep(TrainingConfig.defaults(DETECTOR, 10, 2));

        TrainingStep.Result result = step.run(net, 0, input, objects);

        assertThat(result.objects()).isEqualTo(5);
        assertThat(result.dropped()).isZero();
        assertThat(result.ignored()).isEqualTo(3);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMetrics metrics = new TrainerMetrics(registry);
        assertThat(registry.scrape()).contains("abo_trainer_ignored_objects_total 0.0");
        metrics.step(1, result.loss(), result.anchors(), result.ignored(), 0, 1);
        metrics.step(2, result.loss(), result.anchors(), 0, 0, 1);
        metrics.step(3, result.loss(), result.anchors(), result.ignored(), 0, 1);
        assertThat(registry.scrape()).contains("abo_trainer_ignored_objects_total 6.0");
    }
}
