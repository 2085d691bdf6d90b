package dev.abo.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.abo.core.augment.Augmenter;
import dev.abo.core.sample.TrainingSample;
import dev.abo.proto.training.v1.TrainingBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a {@code watch:DIR} source: polls the {@link WatchedFolder} every {@code ABO_WATCH_POLL_MS},
 * sends a batch as soon as {@code ABO_BATCH_SIZE} frames are waiting, or a partial batch once the oldest
 * waiting frame has waited {@code ABO_WATCH_FLUSH_MS}.
 *
 * <p><b>At-least-once.</b> Frames are committed to the folder's state file only after the broker
 * acknowledged the batch holding them. A crash between the acknowledgement and the commit sends those
 * frames again after the restart, in a batch with a new sequence number (the sequence continues after the
 * larger of the state file's and the log's last batch, so sequence numbers never repeat). Frames waiting
 * or in flight when the loader stops are not committed and are read again at the next start.
 */
final class FolderLoop {

    private static final Logger LOG = LoggerFactory.getLogger(FolderLoop.class);
    /** Longest sleep between checks of the stop signal, acknowledgements and deadlines. */
    private static final long MAX_IDLE_MS = 50;

    private record Waiting(WatchedFrame frame, long sinceNanos) {
    }

    private record Ack(List<WatchedFrame> frames, long nextSequence) {
    }

    private final LoaderConfig config;
    private final Path dir;
    private final Outbox out;
    private final CountDownLatch stop;
    private final Clock clock;
    private final LoaderService.TooLargeHandler tooLarge;
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();

    FolderLoop(LoaderConfig config, Path dir, Outbox out, LoaderService.TooLargeHandler tooLarge, CountDownLatch stop,
               Clock clock) {
        this.config = config;
        this.dir = dir;
        this.out = out;
        this.tooLarge = tooLarge;
        this.stop = stop;
        this.clock = clock;
    }

    /** @param fromLog the sequence number after the source's last batch on the log */
    LoaderResult run(long fromLog) throws InterruptedException {
        WatchedFolder folder;
        try {
            folder = new WatchedFolder(dir, config.classNames(), config.watchSettle(), clock);
        } catch (IOException e) {
            return new LoaderResult(LoaderResult.Outcome.FAILED, "cannot open the watched folder: " + e.getMessage());
        }
        Augmenter augmenter = new Augmenter(config.augmentConfig());
        BatchEncoder encoder = new BatchEncoder(config.sourceId(), config.batchSize(), config.classNames(),
                config.imageFormat(), config.maxRecordBytes(), clock);
        long seq = Math.max(fromLog, folder.nextSequence());
        out.skipped(seq);
        LOG.info("{}: watching {} ({} frames sent before), next batch {}", config.sourceId(), dir, folder.committedFrames(), seq);
        Deque<Waiting> waiting = new ArrayDeque<>();
        long pollNanos = config.watchPoll().toNanos();
        long flushNanos = config.watchFlush().toNanos();
        long nextPoll = System.nanoTime();
        try {
            while (stop.getCount() > 0) {
                commitAcknowledged(folder);
                if (config.delivery().maxBatches().isPresent() && seq >= config.delivery().maxBatches().getAsLong()) {
                    out.flush();
                    commitAcknowledged(folder);
                    return new LoaderResult(LoaderResult.Outcome.COMPLETED, "batches 0.." + (seq - 1) + " of '"
                            + config.sourceId() + "' are on " + out.topic());
                }
                long now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    for (WatchedFrame f : folder.poll()) {
                        waiting.add(new Waiting(f, now));
                    }
                    nextPoll = now + pollNanos;
                }
                boolean full = waiting.size() >= config.batchSize();
                boolean due = !waiting.isEmpty() && now - waiting.peekFirst().sinceNanos() >= flushNanos;
                if (!full && !due) {
                    long untilPoll = nextPoll - now;
                    long untilDue = waiting.isEmpty() ? Long.MAX_VALUE : waiting.peekFirst().sinceNanos() + flushNanos - now;
                    long idle = Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MS), Math.min(untilPoll, untilDue));
                    stop.await(Math.max(1, idle), TimeUnit.NANOSECONDS);
                    continue;
                }
                if (!out.awaitTurn()) {
                    break;
                }
                List<WatchedFrame> frames = new ArrayList<>();
                while (frames.size() < config.batchSize() && !waiting.isEmpty()) {
                    frames.add(waiting.removeFirst().frame());
                }
                List<TrainingSample> samples = frames.stream().map(f -> f.sample(augmenter, config.seed())).toList();
                TrainingBatch batch;
                try {
                    batch = encoder.encode(seq, samples);
                } catch (BatchTooLargeException e) {
                    Optional<LoaderResult> r = tooLarge.handle(e);
                    if (r.isPresent()) {
                        return r.get();
                    }
                    // skipped: its frames count as handled, committed once everything before them is
                    out.flush();
                    commitAcknowledged(folder);
                    folder.commit(frames, seq + 1);
                    out.skipped(++seq);
                    continue;
                }
                long next = seq + 1;
                out.send(seq, batch, () -> acks.add(new Ack(frames, next)));
                seq = next;
            }
            out.flush();
            commitAcknowledged(folder);
            return new LoaderResult(LoaderResult.Outcome.STOPPED, "stopped before batch " + seq + " of '"
                    + config.sourceId() + "' on " + out.topic() + "; " + waiting.size() + " waiting frames not sent");
        } catch (IOException e) {
            return new LoaderResult(LoaderResult.Outcome.FAILED, "watched folder " + dir + ": " + e.getMessage());
        }
    }

    /** Commits, in order, the frames of every batch the broker has acknowledged. */
    private void commitAcknowledged(WatchedFolder folder) throws IOException {
        for (Ack a = acks.poll(); a != null; a = acks.poll()) {
            folder.commit(a.frames(), a.nextSequence());
        }
    }
}
