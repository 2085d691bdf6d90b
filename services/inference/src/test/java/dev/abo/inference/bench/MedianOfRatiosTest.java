package dev.abo.inference.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The bench's paired statistic: per-round ratios, then their median (values worked out by hand). */
class MedianOfRatiosTest {

    @Test
    void oddCountTakesTheMiddleRatioNotTheRatioOfMedians() {
        // ratios 0.5, 0.9, 2.0 -> 0.9; a slow in-process round (100 -> 50) only moves one ratio
        double[] inProcess = {200, 100, 50};
        double[] grpc = {100, 90, 100};
        assertThat(ServeBenchmark.medianOfRatios(inProcess, grpc)).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        // ratios 0.8, 0.85, 0.95, 1.0 -> (0.85 + 0.95) / 2
        double[] inProcess = {100, 100, 100, 100};
        double[] grpc = {95, 80, 100, 85};
        assertThat(ServeBenchmark.medianOfRatios(inProcess, grpc)).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void emptyIsZeroAndExtraRoundsOfOnePathAreIgnored() {
        assertThat(ServeBenchmark.medianOfRatios(new double[0], new double[0])).isZero();
        assertThat(ServeBenchmark.medianOfRatios(new double[] {10, 10}, new double[] {5})).isCloseTo(0.5, within(1e-12));
    }
}
