package dev.abo.loader;

import java.io.IOException;
import java.time.Clock;
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
 * each topic on the log. The held-out stream is sent first, the rest of it if a previous run was cut short,
 * nothing if it is complete; then the training batches, endless or up to {@code ABO_MAX_BATCHES}.
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
        if (streams.eval().isPresent()) {
            LoaderResult r = sendEval(streams.eval().get(), evalOut, resumeAt.applyAsLong(evalOut));
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
        BatchAssembler assembler = new BatchAssembler(source, BatchPlan.endless(config.sourceId(), config.batchSize()),
                config.imageFormat(), config.maxRecordBytes(), clock);
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
