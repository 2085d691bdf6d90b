package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TrainedLedgerTest {

    @Test
    void contiguousSequencesMergeIntoOneRangeInAnyOrder() {
        TrainedLedger l = new TrainedLedger();
        for (long s : new long[] {3, 0, 1, 5, 2, 4}) {
            assertThat(l.add("a", s)).isTrue();
        }
        l.add("b", 7);
        assertThat(l.ranges()).isEqualTo(Map.of("a", List.of(new TrainedLedger.Range(0, 5)),
                "b", List.of(new TrainedLedger.Range(7, 7))));
        assertThat(l.distinctBatches()).isEqualTo(7);
        assertThat(l.retrainedCount()).isZero();
    }

    @Test
    void aGapStaysVisibleAndARepeatIsRecordedNotMerged() {
        TrainedLedger l = new TrainedLedger();
        l.add("a", 0);
        l.add("a", 1);
        l.add("a", 3);
        assertThat(l.add("a", 1)).isFalse();
        assertThat(l.ranges().get("a")).containsExactly(new TrainedLedger.Range(0, 1), new TrainedLedger.Range(3, 3));
        assertThat(l.contains("a", 2)).isFalse();
        assertThat(l.contains("a", 3)).isTrue();
        assertThat(l.retrained()).containsExactly(new TrainedLedger.Batch("a", 1));
        assertThat(l.retrainedCount()).isEqualTo(1);
    }

    @Test
    void restoreRoundTripsAndRejectsOverlaps() {
        TrainedLedger l = new TrainedLedger();
        for (long s = 0; s < 10; s += 2) {
            l.add("x", s);
        }
        l.add("x", 4);
        TrainedLedger back = TrainedLedger.restore(l.ranges(), l.retrained(), l.retrainedCount());
        assertThat(back.ranges()).isEqualTo(l.ranges());
        assertThat(back.retrained()).isEqualTo(l.retrained());
        assertThat(back.add("x", 1)).isTrue();
        assertThat(back.ranges().get("x")).startsWith(new TrainedLedger.Range(0, 2));
        assertThatThrownBy(() -> TrainedLedger.restore(Map.of("x", List.of(new TrainedLedger.Range(0, 3),
                new TrainedLedger.Range(3, 5))), List.of(), 0)).hasMessageContaining("overlap");
    }
}
