package dev.abo.loader;

import static dev.abo.loader.HeldOutRounds.Kind.HELD_OUT;
import static dev.abo.loader.HeldOutRounds.Kind.TRAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.image.RgbImage;
import dev.abo.loader.HeldOutRounds.Slot;
import org.junit.jupiter.api.Test;

class HeldOutRoundsTest {

    /** Batches of 4; 7 held-out images round up to 2 held-out batches, then 3 training batches: rounds of 5. */
    private static final HeldOutRounds ROUNDS = HeldOutRounds.of(7, 4, 3);

    /** Stream batches 0..14 written out by hand: H = held-out, T = training, each with its topic's sequence number. */
    private static final List<Slot> FIRST_15 = List.of(
            h(0), h(1), t(0), t(1), t(2),
            h(2), h(3), t(3), t(4), t(5),
            h(4), h(5), t(6), t(7), t(8));

    private static Slot h(long seq) {
        return new Slot(HELD_OUT, seq);
    }

    private static Slot t(long seq) {
        return new Slot(TRAIN, seq);
    }

    private static List<Slot> take(Iterator<Slot> it, int n) {
        List<Slot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void everyRoundStartsWithItsHeldOutBatchesAndEachTopicCountsItsOwn() {
        assertThat(ROUNDS.heldOutBatches()).isEqualTo(2);
        assertThat(ROUNDS.roundBatches()).isEqualTo(5);
        for (int n = 0; n < FIRST_15.size(); n++) {
            assertThat(ROUNDS.slot(n)).as("stream batch %d", n).isEqualTo(FIRST_15.get(n));
            // the inverse gives the stream batch back
            assertThat(ROUNDS.streamBatch(FIRST_15.get(n).kind(), FIRST_15.get(n).sequence())).isEqualTo(n);
        }
        // far out, by the formula: round 10^9 starts at stream batch 5*10^9 with held-out batch 2*10^9
        assertThat(ROUNDS.slot(5_000_000_001L)).isEqualTo(h(2_000_000_001L));
        assertThat(ROUNDS.slot(5_000_000_004L)).isEqualTo(t(3_000_000_002L));
        assertThat(ROUNDS.streamBatch(TRAIN, 3_000_000_002L)).isEqualTo(5_000_000_004L);
    }

    @Test
    void framesFollowTheirBatches() {
        // frames 0..7 are held-out batches 0-1, 8..19 training batches 0-2, 20..27 held out again
        assertThat(ROUNDS.kindOfFrame(0)).isEqualTo(HELD_OUT);
        assertThat(ROUNDS.kindOfFrame(7)).isEqualTo(HELD_OUT);
        assertThat(ROUNDS.kindOfFrame(8)).isEqualTo(TRAIN);
        assertThat(ROUNDS.kindOfFrame(19)).isEqualTo(TRAIN);
        assertThat(ROUNDS.kindOfFrame(20)).isEqualTo(HELD_OUT);
        assertThat(ROUNDS.kindOfFrame(28)).isEqualTo(TRAIN);
    }

    @Test
    void aFreshLoaderSendsTheStreamInOrder() {
        assertThat(take(ROUNDS.remaining(0, 0), 15)).isEqualTo(FIRST_15);
    }

    @Test
    void resumingAfterAnyPrefixGivesTheSameContinuation() {
        for (int k = 0; k <= FIRST_15.size(); k++) {
            List<Slot> sent = FIRST_15.subList(0, k);
            long nextTrain = sent.stream().filter(s -> s.kind() == TRAIN).count();
            long nextHeldOut = sent.stream().filter(s -> s.kind() == HELD_OUT).count();
            assertThat(take(ROUNDS.remaining(nextTrain, nextHeldOut), 15 - k)).as("after %d batches", k)
                    .isEqualTo(FIRST_15.subList(k, 15));
        }
    }

    @Test
    void whenOneTopicGotAheadBeforeACrashItsBatchesAreNotSentAgain() {
        // training batches 0..4 are on the log, held-out only 0..1 (held-out batches 2, 3 were lost in flight):
        // resume at stream batch 5 (held-out 2), skip training 3 and 4, go on with training 5
        assertThat(ROUNDS.resumeAt(5, 2)).isEqualTo(5);
        assertThat(take(ROUNDS.remaining(5, 2), 6)).containsExactly(h(2), h(3), t(5), h(4), h(5), t(6));
        // the other way round: held-out 0..3 on the log, training 0..1
        assertThat(ROUNDS.resumeAt(2, 4)).isEqualTo(4);
        assertThat(take(ROUNDS.remaining(2, 4), 4)).containsExactly(t(2), t(3), t(4), t(5));
    }

    @Test
    void theViewOfOneKindIndexesItsOwnBatches() throws Exception {
        // the stream's sample i is tagged with i: the views must pick the frames of their batches
        SampleSource stream = new SampleSource() {
            public List<String> classNames() {
                return List.of("x");
            }

            public int inputWidth() {
                return 1;
            }

            public int inputHeight() {
                return 1;
            }

            public TrainingSample sample(long index) {
                return new TrainingSample(RgbImage.blank(1, 1), List.of(), "frame#" + index);
            }

            public long epochLength() {
                return -1;
            }
        };
        SampleSource train = ROUNDS.frames(TRAIN, stream);
        SampleSource heldOut = ROUNDS.frames(HELD_OUT, stream);
        // training batch 3 (samples 12..15) is stream batch 7: frames 28..31; held-out batch 2 is stream batch 5: 20..23
        assertThat(train.sample(12).origin()).isEqualTo("frame#28");
        assertThat(train.sample(15).origin()).isEqualTo("frame#31");
        assertThat(train.sample(0).origin()).isEqualTo("frame#8");
        assertThat(heldOut.sample(8).origin()).isEqualTo("frame#20");
        assertThat(heldOut.sample(7).origin()).isEqualTo("frame#7");
        assertThat(train.epochLength()).isEqualTo(-1);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> HeldOutRounds.of(0, 4, 3))
                .hasMessage("held-out images per round and batch size must be >= 1, got 0, 4");
        assertThat(HeldOutRounds.batchesFor(Integer.MAX_VALUE, 1024)).isEqualTo(2_097_152);   // 2^31 / 2^10, no overflow
        assertThatThrownBy(() -> new HeldOutRounds(4, 2, 0))
                .hasMessage("batch size, held-out and training batches per round must be >= 1, got 4, 2, 0");
        assertThatThrownBy(() -> ROUNDS.slot(-1)).hasMessage("stream batch must be >= 0, got -1");
        assertThatThrownBy(() -> ROUNDS.streamBatch(TRAIN, -1)).hasMessage("sequence number must be >= 0, got -1");
        assertThatThrownBy(() -> new HeldOutRounds(4, 2, Long.MAX_VALUE - 1))
                .hasMessage("a round of 2 + " + (Long.MAX_VALUE - 1) + " batches overflows");
    }
}
