package dev.abo.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Stretch;
import dev.abo.core.sample.TrainingSample;
import dev.abo.proto.training.v1.TrainingBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a {@code watch:DIR} source: polls the {@link WatchedFolder} every {@code ABO_WATCH_POLL_MS},
 * sends a batch as soon as {@code ABO_BATCH_SIZE} frames are waiting, or a partial batch once the oldest
 * waiting frame has waited {@code ABO_WATCH_FLUSH_MS}.
 *
 * <p><b>Held out as they arrive.</b> Frames are numbered in arrival order; {@link HeldOutRounds#kindOfFrame} says
 * which are held out (the first {@code ABO_EVAL_IMAGES} of every round, rounded up to whole batches). A batch holds
 * frames of one kind only: held-out frames go fitted to the input ({@link Stretch}) to {@code eval.batches},
 * the others augmented to {@code train.batches}; each topic numbers its own batches. Held-out batches do not wait
 * for the lag cap or the rate ({@link Backpressure}), only for a free in-flight slot.
 *
 * <p><b>At-least-once.</b> Frames are committed to the folder's state file only after the broker
 * acknowledged the batch holding them, in the order the batches were sent (the two topics acknowledge
 * independently). A crash between the acknowledgement and the commit sends those frames again after the restart,
 * under the same frame numbers, so to the same kind of batch, with a new sequence number (each topic's sequence
 * continues after the larger of the state file's and the log's last batch, so sequence numbers never repeat).
 * Frames waiting or in flight when the loader stops are not committed and are read again at the next start.
 */
final class FolderLoop {

    private static final Logger LOG = LoggerFactory.getLogger(FolderLoop.class);
    /** Longest sleep between checks of the stop signal, acknowledgements and deadlines. */
    private static final long MAX_IDLE_MS = 50;

    private record Waiting(WatchedFrame frame, HeldOutRounds.Kind kind, long sinceNanos) {
    }

    /** A sent batch, in send order; {@code acked} is set on the producer's thread. */
    private static final class Sent {
        final List<WatchedFrame> frames;
        final long nextTrain;
        final long nextHeldOut;
        volatile boolean acked;

        Sent(List<WatchedFrame> frames, long nextTrain, long nextHeldOut) {
            this.frames = frames;
            this.nextTrain = nextTrain;
            this.nextHeldOut = nextHeldOut;
        }
    }

    private final LoaderConfig config;
    private final Path dir;
    private final Outbox trainOut;
    private final Outbox evalOut;
    private final Optional<HeldOutRounds> rounds;
    private final CountDownLatch stop;
    private final Clock clock;
    private final LoaderService.TooLargeHandler tooLarge;
    private final Deque<Sent> sent = new ArrayDeque<>();

    FolderLoop(LoaderConfig config, Path dir, Outbox trainOut, Outbox evalOut, LoaderService.TooLargeHandler tooLarge,
               CountDownLatch stop, Clock clock) {
        this.config = config;
        this.dir = dir;
        this.trainOut = trainOut;
        this.evalOut = evalOut;
        this.rounds = config.heldOutRounds();
        this.tooLarge = tooLarge;
        this.stop = stop;
        this.clock = clock;
    }

    /**
     * @param trainFromLog   the sequence number after the source's last training batch on the log
     * @param heldOutFromLog the same for held-out batches (0 without held-out rounds)
     */
    LoaderResult run(long trainFromLog, long heldOutFromLog) throws InterruptedException {
        WatchedFolder folder;
        try {
            folder = new WatchedFolder(dir, config.classNames(), config.watchSettle(), clock);
        } catch (IOException e) {
            return new LoaderResult(LoaderResult.Outcome.FAILED, "cannot open the watched folder: " + e.getMessage());
        }
        Augmenter augmenter = new Augmenter(config.augmentConfig());
        Stretch stretch = new Stretch(config.inputWidth(), config.inputHeight());
        BatchEncoder encoder = new BatchEncoder(config.sourceId(), config.batchSize(), config.classNames(),
                config.imageFormat(), config.maxRecordBytes(), clock);
        long nextTrain = Math.max(trainFromLog, folder.nextSequence());
        long nextHeldOut = Math.max(heldOutFromLog, folder.nextHeldOutSequence());
        trainOut.skipped(nextTrain);
        if (rounds.isPresent()) {
            evalOut.skipped(nextHeldOut);
        }
        LOG.info("{}: watching {} ({} frames sent before), next training batch {}, next held-out batch {}{}",
                config.sourceId(), dir, folder.committedFrames(), nextTrain, nextHeldOut,
                rounds.map(r -> "; " + r.heldOutBatches() + " batches of frames held out, then " + r.trainBatches()
                        + " trained on, in every round").orElse("; none held out"));
        Deque<Waiting> waiting = new ArrayDeque<>();
        long pollNanos = config.watchPoll().toNanos();
        long flushNanos = config.watchFlush().toNanos();
        long nextPoll = System.nanoTime();
        try {
            while (stop.getCount() > 0) {
                commitAcknowledged(folder);
                if (config.delivery().maxBatches().isPresent() && nextTrain >= config.delivery().maxBatches().getAsLong()) {
                    trainOut.flush();
                    commitAcknowledged(folder);
                    return new LoaderResult(LoaderResult.Outcome.COMPLETED, "batches 0.." + (nextTrain - 1) + " of '"
                            + config.sourceId() + "' are on " + trainOut.topic());
                }
                long now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    for (WatchedFrame f : folder.poll()) {
                        waiting.add(new Waiting(f, kindOf(f), now));
                    }
                    nextPoll = now + pollNanos;
                }
                int ready = leadingOfOneKind(waiting);
                // full: a whole batch, or the frames after the first ones are of the other kind (nothing will join them)
                boolean full = ready >= config.batchSize() || ready < waiting.size();
                boolean due = !waiting.isEmpty() && now - waiting.peekFirst().sinceNanos() >= flushNanos;
                if (!full && !due) {
                    long untilPoll = nextPoll - now;
                    long untilDue = waiting.isEmpty() ? Long.MAX_VALUE : waiting.peekFirst().sinceNanos() + flushNanos - now;
                    long idle = Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MS), Math.min(untilPoll, untilDue));
                    stop.await(Math.max(1, idle), TimeUnit.NANOSECONDS);
                    continue;
                }
                HeldOutRounds.Kind kind = waiting.peekFirst().kind();
                boolean heldOut = kind == HeldOutRounds.Kind.HELD_OUT;
                if (!heldOut && !trainOut.awaitTurn()) {
                    break;
                }
                List<WatchedFrame> frames = new ArrayList<>();
                for (int i = 0; i < Math.min(ready, config.batchSize()); i++) {
                    frames.add(waiting.removeFirst().frame());
                }
                List<TrainingSample> samples = frames.stream()
                        .map(f -> heldOut ? f.fitted(stretch) : f.sample(augmenter, config.seed())).toList();
                Outbox out = heldOut ? evalOut : trainOut;
                long seq = heldOut ? nextHeldOut : nextTrain;
                if (heldOut) {
                    nextHeldOut++;
                } else {
                    nextTrain++;
                }
                TrainingBatch batch;
                try {
                    batch = encoder.encode(seq, samples);
                } catch (BatchTooLargeException e) {
                    Optional<LoaderResult> r = tooLarge.handle(e);
                    if (r.isPresent()) {
                        return r.get();
                    }
                    // skipped: its frames count as handled, committed once everything before them is
                    trainOut.flush();
                    commitAcknowledged(folder);
                    folder.commit(frames, nextTrain, nextHeldOut);
                    out.skipped(seq + 1);
                    continue;
                }
                Sent s = new Sent(frames, nextTrain, nextHeldOut);
                sent.add(s);
                out.send(seq, batch, () -> s.acked = true);
            }
            trainOut.flush();
            commitAcknowledged(folder);
            return new LoaderResult(LoaderResult.Outcome.STOPPED, "stopped before batch " + nextTrain + " of '"
                    + config.sourceId() + "' on " + trainOut.topic() + "; " + waiting.size() + " waiting frames not sent");
        } catch (IOException e) {
            return new LoaderResult(LoaderResult.Outcome.FAILED, "watched folder " + dir + ": " + e.getMessage());
        }
    }

    private HeldOutRounds.Kind kindOf(WatchedFrame f) {
        return rounds.map(r -> r.kindOfFrame(f.frameNumber())).orElse(HeldOutRounds.Kind.TRAIN);
    }

    /** How many frames at the head of {@code waiting} are of the first one's kind. */
    private static int leadingOfOneKind(Deque<Waiting> waiting) {
        int n = 0;
        Iterator<Waiting> it = waiting.iterator();
        HeldOutRounds.Kind kind = waiting.isEmpty() ? null : waiting.peekFirst().kind();
        while (it.hasNext() && it.next().kind() == kind) {
            n++;
        }
        return n;
    }

    /** Commits, in send order, the frames of every batch the broker has acknowledged up to the first one it has not. */
    private void commitAcknowledged(WatchedFolder folder) throws IOException {
        for (Sent s = sent.peekFirst(); s != null && s.acked; s = sent.peekFirst()) {
            sent.removeFirst();
            folder.commit(s.frames, s.nextTrain, s.nextHeldOut);
        }
    }
}
