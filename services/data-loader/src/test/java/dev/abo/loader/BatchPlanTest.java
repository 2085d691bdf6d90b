package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

    @Test
    void batchNHoldsSamplesNTimesBToNTimesBPlusBMinusOne() {
        BatchPlan p = BatchPlan.endless("s", 16);
        assertThat(p.firstSample(0)).isZero();
        assertThat(p.firstSample(7)).isEqualTo(112);
        assertThat(p.size(1_000_000)).isEqualTo(16);
        assertThat(p.batchCount()).isEmpty();
        assertThat(p.has(Long.MAX_VALUE / 16 - 1)).isTrue();
    }

    @Test
    void aFiniteStreamEndsWithTheRemainder() {
        // 37 samples in batches of 16: 16 + 16 + 5
        BatchPlan p = BatchPlan.finite("s", 16, 37);
        assertThat(p.batchCount()).isEqualTo(OptionalLong.of(3));
        assertThat(p.size(0)).isEqualTo(16);
        assertThat(p.size(2)).isEqualTo(5);
        assertThat(p.firstSample(2)).isEqualTo(32);
        assertThat(p.has(3)).isFalse();
        assertThatThrownBy(() -> p.firstSample(3))
                .hasMessage("batch 3 is past the end of s: 37 samples make 3 batches of 16");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> BatchPlan.endless("s", 0)).hasMessage("batch size must be >= 1, got 0");
        assertThatThrownBy(() -> BatchPlan.endless("", 4)).hasMessage("source id must not be empty");
        assertThatThrownBy(() -> BatchPlan.finite("s", 4, 0)).hasMessage("a finite stream needs >= 1 sample, got 0");
        assertThatThrownBy(() -> BatchPlan.endless("s", 4).size(-1)).hasMessage("sequence number must be >= 0, got -1");
        assertThatThrownBy(() -> BatchPlan.endless("s", 4).firstSample(Long.MAX_VALUE / 4))
                .hasMessage("batch " + Long.MAX_VALUE / 4 + " of 4 samples overflows the sample index");
    }
}
