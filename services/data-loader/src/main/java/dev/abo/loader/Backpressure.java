package dev.abo.loader;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Decides when the next training batch may be sent. Three bounds, all per loader:
 * <ol>
 *   <li><b>In flight</b>: at most {@code ABO_MAX_IN_FLIGHT} batches unacknowledged ({@link BatchSender}).</li>
 *   <li><b>Lag cap</b>: the loader sends only while the train topic holds fewer than
 *       {@code ABO_MAX_LAG_BATCHES} batches the trainer group has not committed ({@link TrainerLag}). The
 *       lag is measured every {@code ABO_LAG_POLL_MS}; in between, the loader adds what it sent itself
 *       (and what was in flight at the measurement) to the measured value. When that estimate reaches the
 *       cap, the loader waits until its own batches are acknowledged and measures again, so for one loader
 *       the cap is exact: it stops with exactly {@code ABO_MAX_LAG_BATCHES} uncommitted batches on the
 *       topic and goes on as soon as the trainer commits. With several loaders each sees the others'
 *       batches only at its next measurement, so together they can overshoot by what the others send in
 *       one poll interval.</li>
 *   <li><b>Rate</b> (optional): at most {@code ABO_MAX_BATCHES_PER_S}, evenly spaced; time spent waiting
 *       for the other bounds is not saved up as a burst.</li>
 * </ol>
 */
final class Backpressure {

    private final TrainerLag lag;
    private final long maxLag;
    private final Duration poll;
    private final OptionalDouble rate;
    private final BatchSender sender;
    private final LoaderMetrics metrics;
    private final CountDownLatch stop;

    private long measuredLag;
    private long inFlightAtMeasure;
    private long sentSinceMeasure;
    private long nextMeasureNanos;
    private boolean measured;
    private long nextSendNanos;
    private boolean paced;

    Backpressure(TrainerLag lag, LoaderConfig.Delivery delivery, BatchSender sender, LoaderMetrics metrics,
                 CountDownLatch stop) {
        this.lag = lag;
        this.maxLag = delivery.maxLagBatches();
        this.poll = delivery.lagPoll();
        this.rate = delivery.maxBatchesPerSecond();
        this.sender = sender;
        this.metrics = metrics;
        this.stop = stop;
    }

    /**
     * Blocks until the next batch may be sent.
     *
     * @return false if {@code stop} was counted down while waiting
     */
    boolean awaitTurn() throws InterruptedException {
        if (rate.isPresent()) {
            long wait = paced ? nextSendNanos - System.nanoTime() : 0;
            if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
                return false;
            }
            long now = System.nanoTime();
            nextSendNanos = (paced && nextSendNanos - now > 0 ? nextSendNanos : now) + (long) (1e9 / rate.getAsDouble());
            paced = true;
        }
        if (!measured || System.nanoTime() - nextMeasureNanos >= 0) {
            measure();
        }
        while (measuredLag + inFlightAtMeasure + sentSinceMeasure >= maxLag) {
            sender.flush();          // nothing in flight: the next measurement is exact
            measure();
            if (measuredLag < maxLag) {
                break;
            }
            metrics.paused(true);
            if (stop.await(poll.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        metrics.paused(false);
        return true;
    }

    /** Call after each send. */
    void sent() {
        sentSinceMeasure++;
    }

    private void measure() throws InterruptedException {
        // read before measuring: a batch acknowledged in between is counted twice (safe side), never not at all
        long inFlight = sender.inFlight();
        measuredLag = lag.measure();
        inFlightAtMeasure = inFlight;
        sentSinceMeasure = 0;
        measured = true;
        nextMeasureNanos = System.nanoTime() + poll.toNanos();
        metrics.lag(measuredLag);
    }
}
