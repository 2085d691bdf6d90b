package dev.abo.loader;

import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToLongFunction;

import dev.abo.core.sample.SampleSource;
import dev.abo.proto.training.v1.TrainingBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a replayable source (dataset, synthetic scenes, camera): batch {@code n} of each topic is a pure
 * function of the source and {@code n} ({@link BatchAssembler}), so the loop continues after the last batch of
 * each topic on the log, and a restart, graceful or not, neither repeats nor skips a batch on either topic.
 *
 * <ul>
 *   <li>A dataset's held-out split ({@link SampleStreams.HeldOut.FirstPass}) is sent first, the rest of it if a
 *       previous run was cut short, nothing if it is complete; then the training batches.</li>
 *   <li>An endless source's held-out batches are taken out of the stream as it goes
 *       ({@link SampleStreams.HeldOut.FromStream}, {@link HeldOutRounds}): every batch of the stream goes to its
 *       topic in stream order, so held-out data follows the scene (after a drift, the next round's held-out
 *       batches show the new scene).</li>
 * </ul>
 * Training batches go endless or up to {@code ABO_MAX_BATCHES} and wait for their turn ({@link Backpressure}: lag
 * cap, rate); held-out batches are bounded only in flight (a first pass is finite; the stream holds out at most
 * one round's held-out batches per round's training batches).
 */
final class ReplayLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayLoop.class);

    private final LoaderConfig config;
    private final Outbox trainOut;
    private final Outbox evalOut;
    private final ToLongFunction<Outbox> resumeAt;
    private final LoaderService.TooLargeHandler tooLarge;
    private final LoaderMetrics metrics;
    private final CountDownLatch stop;
    private final Clock clock;

    /** @param resumeAt the next sequence number of this source on an outbox's partition, from the log */
    ReplayLoop(LoaderConfig config, Outbox trainOut, Outbox evalOut, ToLongFunction<Outbox> resumeAt,
               LoaderService.TooLargeHandler tooLarge, LoaderMetrics metrics, CountDownLatch stop, Clock clock) {
        this.config = config;
        this.trainOut = trainOut;
        this.evalOut = evalOut;
        this.resumeAt = resumeAt;
        this.tooLarge = tooLarge;
        this.metrics = metrics;
        this.stop = stop;
        this.clock = clock;
    }

    LoaderResult run() throws InterruptedException {
        SampleStreams streams;
        try {
            streams = SampleStreams.open(config);
        } catch (IOException e) {
            return sourceFailure(e);
        }
        if (!streams.skipped().isEmpty()) {
            LOG.warn("{}: the dataset reader skipped {} objects (invalid boxes or unknown classes)",
                    config.sourceId(), streams.skipped().size());
        }
        Optional<SampleStreams.HeldOut> heldOut = streams.heldOut();
        if (heldOut.isPresent() && heldOut.get() instanceof SampleStreams.HeldOut.FromStream fromStream) {
            return sendInterleaved(streams.train(), fromStream, resumeAt.applyAsLong(trainOut),
                    resumeAt.applyAsLong(evalOut));
        }
        if (heldOut.isPresent() && heldOut.get() instanceof SampleStreams.HeldOut.FirstPass firstPass) {
            LoaderResult r = sendEval(firstPass.images(), evalOut, resumeAt.applyAsLong(evalOut));
            if (r != null) {
                return r;
            }
        }
        return sendTrain(streams.train(), trainOut, resumeAt.applyAsLong(trainOut));
    }

    /** The held-out stream from {@code seq} to its end; null when done (or stopped: then the train loop returns at once). */
    private LoaderResult sendEval(SampleSource source, Outbox out, long seq) throws InterruptedException {
        BatchPlan plan = BatchPlan.finite(config.sourceId(), config.batchSize(), source.epochLength());
        BatchAssembler assembler = new BatchAssembler(source, plan, config.imageFormat(), config.maxRecordBytes(), clock);
        long sent = 0;
        for (; plan.has(seq) && !stopped(); seq++) {
            Optional<LoaderResult> r = sendOne(assembler, out, seq);
            if (r.isPresent()) {
                return r.get();
            }
            sent++;
        }
        out.flush();
        LOG.info("{}: held-out stream on {}: {} batches sent, {} in all", config.sourceId(), out.topic(), sent,
                plan.batchCount().getAsLong());
        return null;
    }

    private LoaderResult sendTrain(SampleSource source, Outbox out, long seq) throws InterruptedException {
        BatchAssembler assembler = assembler(source);
        LOG.info("{}: training batches to {}-{} from sequence number {}", config.sourceId(), out.topic(), out.partition(), seq);
        while (!stopped()) {
            if (config.delivery().maxBatches().isPresent() && seq >= config.delivery().maxBatches().getAsLong()) {
                out.flush();
                return new LoaderResult(LoaderResult.Outcome.COMPLETED, "batches 0.." + (seq - 1) + " of '"
                        + config.sourceId() + "' are on " + out.topic());
            }
            if (!out.awaitTurn()) {
                break;
            }
            Optional<LoaderResult> r = sendOne(assembler, out, seq);
            if (r.isPresent()) {
                return r.get();
            }
            seq++;
        }
        out.flush();
        return new LoaderResult(LoaderResult.Outcome.STOPPED, "stopped before batch " + seq + " of '" + config.sourceId()
                + "' on " + out.topic());
    }

    /**
     * Every batch of the endless stream to its topic, in stream order, from where the log says each topic is.
     *
     * @param frames      every frame of the stream, augmented
     * @param nextTrain   the next training batch (from the log)
     * @param nextHeldOut the next held-out batch (from the log)
     */
    private LoaderResult sendInterleaved(SampleSource frames, SampleStreams.HeldOut.FromStream heldOut, long nextTrain,
                                         long nextHeldOut) throws InterruptedException {
        HeldOutRounds rounds = heldOut.rounds();
        BatchAssembler train = assembler(rounds.frames(HeldOutRounds.Kind.TRAIN, frames));
        BatchAssembler held = assembler(rounds.frames(HeldOutRounds.Kind.HELD_OUT, heldOut.frames()));
        long from = rounds.resumeAt(nextTrain, nextHeldOut);
        LOG.info("{}: from stream batch {} (frame {}): training batches to {}-{} from {}, held-out batches to {}-{} from {};"
                        + " {} held-out batches, then {} training batches, in every round", config.sourceId(), from,
                from * config.batchSize(), trainOut.topic(), trainOut.partition(), nextTrain, evalOut.topic(),
                evalOut.partition(), nextHeldOut, rounds.heldOutBatches(), rounds.trainBatches());
        Iterator<HeldOutRounds.Slot> slots = rounds.remaining(nextTrain, nextHeldOut);
        while (!stopped()) {
            if (config.delivery().maxBatches().isPresent() && nextTrain >= config.delivery().maxBatches().getAsLong()) {
                trainOut.flush();
                return new LoaderResult(LoaderResult.Outcome.COMPLETED, "batches 0.." + (nextTrain - 1) + " of '"
                        + config.sourceId() + "' are on " + trainOut.topic() + ", held-out batches 0.." + (nextHeldOut - 1)
                        + " on " + evalOut.topic());
            }
            HeldOutRounds.Slot slot = slots.next();
            Optional<LoaderResult> r;
            if (slot.kind() == HeldOutRounds.Kind.TRAIN) {
                if (!trainOut.awaitTurn()) {
                    break;
                }
                r = sendOne(train, trainOut, slot.sequence());
                nextTrain = slot.sequence() + 1;
            } else {
                r = sendOne(held, evalOut, slot.sequence());
                nextHeldOut = slot.sequence() + 1;
            }
            if (r.isPresent()) {
                return r.get();
            }
        }
        trainOut.flush();
        return new LoaderResult(LoaderResult.Outcome.STOPPED, "stopped before batch " + nextTrain + " of '"
                + config.sourceId() + "' on " + trainOut.topic() + " and held-out batch " + nextHeldOut + " on "
                + evalOut.topic());
    }

    private BatchAssembler assembler(SampleSource source) {
        return new BatchAssembler(source, BatchPlan.endless(config.sourceId(), config.batchSize()), config.imageFormat(),
                config.maxRecordBytes(), clock);
    }

    /** Assembles and sends batch {@code seq}; a result if the loader must stop. */
    private Optional<LoaderResult> sendOne(BatchAssembler assembler, Outbox out, long seq) throws InterruptedException {
        TrainingBatch batch;
        try {
            batch = assembler.assemble(seq);
        } catch (BatchTooLargeException e) {
            Optional<LoaderResult> r = tooLarge.handle(e);
            out.skipped(seq + 1);
            return r;
        } catch (IOException e) {
            return Optional.of(sourceFailure(e));
        }
        out.send(seq, batch, () -> { });
        return Optional.empty();
    }

    private LoaderResult sourceFailure(IOException e) {
        metrics.error(ErrorKind.SOURCE);
        LOG.error("data-loader {}: cannot read the source: {}", config.sourceId(), e.getMessage());
        return new LoaderResult(LoaderResult.Outcome.FAILED, "cannot read the source: " + e.getMessage());
    }

    private boolean stopped() {
        return stop.getCount() == 0;
    }
}
