package dev.abo.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.schedule.StepLearningRate.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepLearningRateTest {

    @Test
    void vocBoundaries() {
        StepLearningRate voc = StepLearningRate.voc();
        assertThat(voc.rate(0)).isEqualTo(1e-4);
        assertThat(voc.rate(99)).isEqualTo(1e-4);
        assertThat(voc.rate(100)).isEqualTo(1e-3);
        assertThat(voc.rate(14_999)).isEqualTo(1e-3);
        assertThat(voc.rate(15_000)).isEqualTo(1e-4);
        assertThat(voc.rate(26_999)).isEqualTo(1e-4);
        assertThat(voc.rate(27_000)).isEqualTo(1e-5);
        assertThat(voc.rate(29_999)).isEqualTo(1e-5);
        assertThat(voc.rate(30_000)).isEqualTo(1e-5); // beyond the end: last rate
        assertThat(voc.totalSteps()).isEqualTo(30_000);
    }

    @Test
    void cocoAndBrainwashBoundaries() {
        StepLearningRate coco = StepLearningRate.coco();
        assertThat(List.of(coco.rate(999), coco.rate(1000), coco.rate(79_999), coco.rate(80_000),
                coco.rate(89_999), coco.rate(90_000), coco.rate(99_999)))
                .containsExactly(1e-4, 1e-3, 1e-3, 1e-4, 1e-4, 1e-5, 1e-5);
        assertThat(coco.totalSteps()).isEqualTo(100_000);
        StepLearningRate bw = StepLearningRate.brainwash();
        assertThat(List.of(bw.rate(99), bw.rate(100), bw.rate(4999), bw.rate(5000), bw.rate(8999), bw.rate(9000)))
                .containsExactly(1e-4, 1e-3, 1e-3, 1e-4, 1e-4, 1e-5);
        assertThat(bw.totalSteps()).isEqualTo(10_000);
    }

    @Test
    void scalingIsProportional() {
        // VOC to 600 steps: factor 600/30000 = 0.02 -> ends 100*0.02 = 2, 15000*0.02 = 300, 27000*0.02 = 540, 600
        assertThat(StepLearningRate.voc().scaledTo(600)).isEqualTo(StepLearningRate.of(
                new long[] {2, 300, 540, 600}, new double[] {1e-4, 1e-3, 1e-4, 1e-5}));
        // COCO to 1000: 10, 800, 900, 1000
        assertThat(StepLearningRate.coco().scaledTo(1000).segments()).extracting(Segment::end)
                .containsExactly(10L, 800L, 900L, 1000L);
        // scaling to its own length is the identity
        assertThat(StepLearningRate.brainwash().scaledTo(10_000)).isEqualTo(StepLearningRate.brainwash());
    }

    @Test
    void scalingThatEmptiesARangeIsRejected() {
        // VOC to 100 steps: 100 * 100/30000 = 0.33 rounds to 0, so the first range would be empty
        assertThatThrownBy(() -> StepLearningRate.voc().scaledTo(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scaling to 100 steps empties segment Segment[start=0, end=100, rate=1.0E-4]");
        assertThatThrownBy(() -> StepLearningRate.voc().scaledTo(0)).hasMessage("newTotal must be positive, got 0");
    }

    @Test
    void rangesMustBeContiguousIncreasingAndPositive() {
        assertThatThrownBy(() -> new StepLearningRate(List.of(new Segment(0, 5, 1e-3), new Segment(6, 10, 1e-4))))
                .hasMessage("segment Segment[start=6, end=10, rate=1.0E-4] must start at 5");
        assertThatThrownBy(() -> new StepLearningRate(List.of(new Segment(1, 5, 1e-3))))
                .hasMessage("segment Segment[start=1, end=5, rate=0.001] must start at 0");
        assertThatThrownBy(() -> StepLearningRate.of(new long[] {5, 5}, new double[] {1e-3, 1e-4}))
                .hasMessage("segment Segment[start=5, end=5, rate=1.0E-4] is empty");
        assertThatThrownBy(() -> StepLearningRate.of(new long[] {5}, new double[] {0}))
                .hasMessage("segment Segment[start=0, end=5, rate=0.0] needs a finite positive rate");
        assertThatThrownBy(() -> StepLearningRate.of(new long[] {5}, new double[] {1, 2}))
                .hasMessage("ends and rates lengths differ: 1 vs 2");
        assertThatThrownBy(() -> new StepLearningRate(List.of()))
                .hasMessage("a learning-rate schedule needs at least one segment");
        assertThatThrownBy(() -> StepLearningRate.voc().rate(-1)).hasMessage("step must be >= 0, got -1");
    }
}
