package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.abo.detector.train.AnchorPx;
import dev.abo.trainer.TrainerListener;
import dev.abo.trainer.TrainingStep;
import org.junit.jupiter.api.Test;

class TrainerWatchTest {

    private static TrainerListener.StepEvent step(long step, String source, long seq, double anchorW) {
        return new TrainerListener.StepEvent(step, source, seq, "train.batches", 0, step,
                new TrainingStep.Result(step, 10 - step, 1e-3, 2e-2, List.of(new AnchorPx(anchorW, anchorW)), 3, 0, 0), 0, 0);
    }

    @Test
    void theAnchorsAtTheDriftAreThoseBeforeTheFirstDriftedCameraBatch() {
        TrainerWatch w = new TrainerWatch("camera");
        w.onStep(step(0, "camera", 0, 10), null);
        w.onStep(step(1, "voc", 0, 11), null);
        w.driftAt(2);                                   // camera batches 2.. are drifted
        w.onStep(step(2, "camera", 1, 12), null);
        w.onStep(step(3, "voc", 1, 13), null);          // not a camera batch: no drift yet
        assertThat(w.atDrift()).isEmpty();
        w.onStep(step(4, "camera", 2, 14), null);       // the first drifted batch: anchors after step 3 (13 px)
        w.onStep(step(5, "camera", 3, 15), null);
        assertThat(w.atDrift()).contains(new TrainerWatch.AtDrift(4, List.of(new AnchorPx(13, 13))));
        assertThat(w.stepsAfterDrift()).isEqualTo(2);
        assertThat(w.stepCount()).isEqualTo(6);
        assertThat(w.batchesBySource()).containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of("camera", 4L, "voc", 2L)));
        assertThat(w.lastStep().orElseThrow().anchors()).containsExactly(new AnchorPx(15, 15));
        // losses 10 - step: the last two are 6 and 5
        assertThat(w.recentLoss(2)).isEqualTo(5.5);
    }
}
