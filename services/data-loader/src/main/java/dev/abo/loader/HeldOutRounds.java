package dev.abo.loader;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;

/**
 * Which frames of an endless stream (a camera, a synthetic source, a watched folder) are held out for
 * {@code eval.batches}: the stream is cut into batches of {@code batchSize} frames and the batches into rounds of
 * {@code heldOutBatches + trainBatches}; the first {@code heldOutBatches} of every round are held out, the other
 * {@code trainBatches} are trained on. So held-out data follows the stream in time (after a drift, the next
 * round's held-out frames show the new scene), a held-out frame is never trained on, and a new held-out set of
 * {@code heldOutBatches} batches starts every round: the trainer's window of that many images holds one round's
 * set and stays the same (its AP50 values comparable) until the next round.
 *
 * <p>Each topic numbers its own batches from 0. Stream batch {@code n}, in round {@code r = n / (H + N)} at
 * position {@code i = n % (H + N)}, is held-out batch {@code r*H + i} when {@code i < H}, else training batch
 * {@code r*N + i - H}. Both directions are pure functions, so a restarted loader that knows the next sequence
 * number of each topic (from the log) continues at the same stream batch, and batch {@code k} of either topic is
 * always the same frames.
 *
 * @param batchSize      frames per batch, >= 1
 * @param heldOutBatches H, held-out batches at the start of every round, >= 1
 * @param trainBatches   N, training batches after them, >= 1
 */
public record HeldOutRounds(int batchSize, int heldOutBatches, long trainBatches) {

    /** Where a batch of the stream goes. */
    public enum Kind {
        /** {@code eval.batches}, fitted to the input, never trained on. */
        HELD_OUT,
        /** {@code train.batches}, augmented. */
        TRAIN
    }

    /**
     * A batch of the stream: which topic and its sequence number there.
     *
     * @param kind     the topic
     * @param sequence its sequence number on that topic
     */
    public record Slot(Kind kind, long sequence) {
    }

    public HeldOutRounds {
        if (batchSize < 1 || heldOutBatches < 1 || trainBatches < 1) {
            throw new IllegalArgumentException("batch size, held-out and training batches per round must be >= 1, got "
                    + batchSize + ", " + heldOutBatches + ", " + trainBatches);
        }
        if (trainBatches > Long.MAX_VALUE - heldOutBatches) {
            throw new IllegalArgumentException("a round of " + heldOutBatches + " + " + trainBatches + " batches overflows");
        }
    }

    /**
     * The rounds of a loader: {@code heldOutImages} ({@code ABO_EVAL_IMAGES}) rounded up to whole batches, then
     * {@code trainBatches} ({@code ABO_EVAL_EVERY_BATCHES}).
     */
    public static HeldOutRounds of(int heldOutImages, int batchSize, long trainBatches) {
        return new HeldOutRounds(batchSize, batchesFor(heldOutImages, batchSize), trainBatches);
    }

    /** The held-out batches of a round that hold {@code heldOutImages}: whole batches, rounded up. */
    public static int batchesFor(int heldOutImages, int batchSize) {
        if (heldOutImages < 1 || batchSize < 1) {
            throw new IllegalArgumentException("held-out images per round and batch size must be >= 1, got "
                    + heldOutImages + ", " + batchSize);
        }
        return (int) ((heldOutImages + (long) batchSize - 1) / batchSize);
    }

    /** Batches per round, held-out and training. */
    public long roundBatches() {
        return heldOutBatches + trainBatches;
    }

    /** Where stream batch {@code streamBatch} goes. */
    public Slot slot(long streamBatch) {
        if (streamBatch < 0) {
            throw new IllegalArgumentException("stream batch must be >= 0, got " + streamBatch);
        }
        long round = streamBatch / roundBatches();
        long i = streamBatch % roundBatches();
        return i < heldOutBatches ? new Slot(Kind.HELD_OUT, round * heldOutBatches + i)
                : new Slot(Kind.TRAIN, round * trainBatches + i - heldOutBatches);
    }

    /** The stream batch that is batch {@code sequence} of {@code kind}: the inverse of {@link #slot}. */
    public long streamBatch(Kind kind, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence number must be >= 0, got " + sequence);
        }
        long perRound = kind == Kind.HELD_OUT ? heldOutBatches : trainBatches;
        long first = kind == Kind.HELD_OUT ? 0 : heldOutBatches;
        return Math.addExact(Math.multiplyExact(sequence / perRound, roundBatches()), first + sequence % perRound);
    }

    /**
     * The first stream batch not yet on both topics when the next batches to send are {@code nextTrain} and
     * {@code nextHeldOut}: the earlier of theirs. Batches from there on that a topic already holds (one topic can be
     * ahead after a crash) are to be skipped.
     */
    public long resumeAt(long nextTrain, long nextHeldOut) {
        return Math.min(streamBatch(Kind.TRAIN, nextTrain), streamBatch(Kind.HELD_OUT, nextHeldOut));
    }

    /**
     * The batches still to send, in stream order, when the next batch of each topic is {@code nextTrain} and
     * {@code nextHeldOut}: from {@link #resumeAt} on, without those a topic already holds. Endless.
     */
    public Iterator<Slot> remaining(long nextTrain, long nextHeldOut) {
        long start = resumeAt(nextTrain, nextHeldOut);
        return new Iterator<>() {
            private long streamBatch = start;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Slot next() {
                while (true) {
                    Slot s = slot(streamBatch++);
                    if (s.sequence() >= (s.kind() == Kind.TRAIN ? nextTrain : nextHeldOut)) {
                        return s;
                    }
                }
            }
        };
    }

    /** Where frame {@code frame} of the stream goes (the kind of its stream batch). */
    public Kind kindOfFrame(long frame) {
        if (frame < 0) {
            throw new IllegalArgumentException("frame must be >= 0, got " + frame);
        }
        return (frame / batchSize) % roundBatches() < heldOutBatches ? Kind.HELD_OUT : Kind.TRAIN;
    }

    /**
     * The frames of one kind as a source of their own, for a {@link BatchAssembler} with an endless
     * {@link BatchPlan}: its sample {@code k*B + j} is frame {@code j} of {@code kind}'s batch {@code k}, i.e. sample
     * {@code streamBatch(kind, k)*B + j} of {@code stream}.
     *
     * @param stream every frame of the stream, indexed by frame number
     */
    public SampleSource frames(Kind kind, SampleSource stream) {
        return new KindFrames(this, kind, stream);
    }

    private record KindFrames(HeldOutRounds rounds, Kind kind, SampleSource stream) implements SampleSource {
        @Override
        public List<String> classNames() {
            return stream.classNames();
        }

        @Override
        public int inputWidth() {
            return stream.inputWidth();
        }

        @Override
        public int inputHeight() {
            return stream.inputHeight();
        }

        @Override
        public TrainingSample sample(long index) throws IOException {
            if (index < 0) {
                throw new IllegalArgumentException("sample index must be >= 0, got " + index);
            }
            int b = rounds.batchSize();
            long frame = Math.addExact(Math.multiplyExact(rounds.streamBatch(kind, index / b), b), index % b);
            return stream.sample(frame);
        }

        @Override
        public long epochLength() {
            return -1;
        }
    }
}
