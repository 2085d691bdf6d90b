package dev.abo.detector.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.DetectorConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * Difficult objects and crowd regions are not training targets; the offline loop counts them into
 * {@code metrics.json}. Tiny net: 32 px, 3 blocks 4-8-8 (stride 8, grid 4x4), A = 2; 3 steps of 2 images.
 */
class IgnoredObjectsCountTest {
    private static final DetectorConfig DETECTOR = DetectorConfig.defaults(32, 1).withBackbone(List.of(4, 8, 8))
            .withAnchors(2, DetectorConfig.AnchorMode.LEARNED);
    private static final AnchorSet INIT = AnchorSet.of(List.of(new Shape(6, 6), new Shape(14, 14)), 32);

    /** Sample i: a plain square, plus a difficult one when i is odd and a crowd region when i % 3 == 0. */
    private record FlaggedSource() implements SampleSource {
        @Override
        public List<String> classNames() {
            return List.of("square");
        }

        @Override
        public int inputWidth() {
            return 32;
        }

        @Override
        public int inputHeight() {
            return 32;
        }

        @Override
        public long epochLength() {
            return -1;
        }

        @Override
        public TrainingSample sample(long i) {
            Box plain = new Box(2, 2, 10, 10);
            Box difficult = new Box(20, 2, 28, 10);
            Box crowd = new Box(2, 18, 30, 30);
            List<LabeledObject> objects = new ArrayList<>(List.of(LabeledObject.of(plain, 0)));
            if (i % 2 == 1) {
                objects.add(new LabeledObject(difficult, 0, true, false, difficult.area()));
            }
            if (i % 3 == 0) {
                objects.add(new LabeledObject(crowd, 0, false, true, crowd.area()));
            }
            return new TrainingSample(RgbImage.blank(32, 32), objects, "flagged#" + i);
        }
    }

    @Test
    void theRunCountsTheDifficultAndCrowdObjectsOfItsBatches() throws Exception {
        TrainingConfig config = TrainingConfig.defaults(DETECTOR, 3, 2);
        Trainer trainer = new Trainer(config, new FlaggedSource(), null);
        ComputationGraph net = trainer.newNetwork(INIT);

        // steps 0..2 read samples 0..5: difficult at 1, 3, 5 (3), crowd at 0, 3 (2): 5 by hand
        TrainingReport report = trainer.run(net, 0, TrainingListener.NONE);
        assertThat(report.ignoredObjects()).isEqualTo(5);
        assertThat(TrainingMetrics.of(report).ignoredObjects()).isEqualTo(5);

        // resumed at step 2: samples 4, 5 only, the difficult one at 5
        TrainingReport resumed = trainer.run(trainer.newNetwork(INIT), 2, TrainingListener.NONE);
        assertThat(resumed.ignoredObjects()).isEqualTo(1);
    }
}
