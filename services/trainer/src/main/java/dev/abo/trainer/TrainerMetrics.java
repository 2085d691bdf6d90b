package dev.abo.trainer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.abo.detector.train.AnchorPx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The trainer's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code abo.trainer.steps} [{@code abo_trainer_steps_total}], {@code abo.trainer.step} (the global step);</li>
 *   <li>{@code abo.trainer.steps.per.second} and {@code abo.trainer.data.wait.fraction}: over the last
 *       {@value #WINDOW} steps, wait / (wait + train), where wait is polling and decoding time the loop spent
 *       before a step and train is the step itself (evaluation and checkpoints excluded); cumulative seconds
 *       in {@code abo.trainer.data.wait.seconds} and {@code abo.trainer.train.seconds};</li>
 *   <li>{@code abo.trainer.loss} (total loss of the last step);</li>
 *   <li>{@code abo.trainer.ignored.objects} [{@code abo_trainer_ignored_objects_total}]: VOC-difficult objects and
 *       COCO crowd regions in the trained batches, left out of the training targets ({@code LabelEncoder});</li>
 *   <li>{@code abo.trainer.anchor.width.px} / {@code .height.px} with tag {@code anchor};</li>
 *   <li>{@code abo.trainer.ap50}, {@code abo.trainer.anchor.avg.iou}, {@code abo.trainer.heldout.images};</li>
 *   <li>{@code abo.trainer.dead.letters} with tags {@code topic}, {@code kind}: letters this process wrote (the
 *       platform's {@code abo.dlq.records} counts them too); {@code abo.trainer.dead.letters.replayed}, same tags:
 *       poison records replayed after a crash whose letter the dead-letter topic already held, not written again
 *       ({@link DeadLetterLog});</li>
 *   <li>{@code abo.trainer.consumer.lag} (records behind the end of the training topic);</li>
 *   <li>{@code abo.trainer.checkpoints}, {@code abo.trainer.checkpoint.step}, {@code abo.trainer.commit.failures},
 *       {@code abo.trainer.batches.retrained}.</li>
 * </ul>
 * Written by the training thread, read by the scrape thread.
 */
final class TrainerMetrics {

    static final int WINDOW = 50;

    private final MeterRegistry registry;
    private final Counter steps;
    private final Counter waitSeconds;
    private final Counter trainSeconds;
    private final Counter checkpoints;
    private final Counter commitFailures;
    private final Counter retrained;
    private final Counter ignoredObjects;
    private final AtomicLong step = new AtomicLong();
    private final DoubleValue loss = new DoubleValue(Double.NaN);
    private final DoubleValue stepsPerSecond = new DoubleValue(Double.NaN);
    private final DoubleValue waitFraction = new DoubleValue(Double.NaN);
    private final DoubleValue ap50 = new DoubleValue(Double.NaN);
    private final DoubleValue anchorIou = new DoubleValue(Double.NaN);
    private final AtomicLong heldOutImages = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong checkpointStep = new AtomicLong(-1);
    private DoubleValue[] anchorW = new DoubleValue[0];
    private DoubleValue[] anchorH = new DoubleValue[0];
    private final Deque<long[]> window = new ArrayDeque<>();   // {end time, wait, train} per step

    TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        steps = Counter.builder("abo.trainer.steps").description("optimisation steps done by this process").register(registry);
        waitSeconds = Counter.builder("abo.trainer.data.wait.seconds").description("time the loop waited for data").register(registry);
        trainSeconds = Counter.builder("abo.trainer.train.seconds").description("time of the training steps").register(registry);
        checkpoints = Counter.builder("abo.trainer.checkpoints").description("checkpoints written").register(registry);
        commitFailures = Counter.builder("abo.trainer.commit.failures")
                .description("offset commits that failed after a durable checkpoint (the checkpoint still counts)").register(registry);
        retrained = Counter.builder("abo.trainer.batches.retrained")
                .description("batches (source, sequence) trained again within the model's lineage").register(registry);
        ignoredObjects = Counter.builder("abo.trainer.ignored.objects")
                .description("difficult objects and crowd regions in trained batches, not training targets").register(registry);
        Gauge.builder("abo.trainer.step", step, AtomicLong::get).description("global step of the model").register(registry);
        Gauge.builder("abo.trainer.loss", loss, DoubleValue::get).description("total loss of the last step").register(registry);
        Gauge.builder("abo.trainer.steps.per.second", stepsPerSecond, DoubleValue::get)
                .description("steps per second over the last " + WINDOW + " steps").register(registry);
        Gauge.builder("abo.trainer.data.wait.fraction", waitFraction, DoubleValue::get)
                .description("share of loop time spent waiting for data over the last " + WINDOW + " steps").register(registry);
        Gauge.builder("abo.trainer.ap50", ap50, DoubleValue::get).description("held-out AP at IoU 0.5").register(registry);
        Gauge.builder("abo.trainer.anchor.avg.iou", anchorIou, DoubleValue::get)
                .description("mean best shape IoU of the anchors over the held-out boxes").register(registry);
        Gauge.builder("abo.trainer.heldout.images", heldOutImages, AtomicLong::get).register(registry);
        Gauge.builder("abo.trainer.consumer.lag", lag, AtomicLong::get)
                .description("records of the training topic not yet trained on").register(registry);
        Gauge.builder("abo.trainer.checkpoint.step", checkpointStep, AtomicLong::get)
                .description("step of the last durable checkpoint, -1 before the first").register(registry);
    }

    void step(long globalStep, double stepLoss, List<AnchorPx> anchors, int ignored, long waitNanos, long trainNanos) {
        steps.increment();
        ignoredObjects.increment(ignored);
        step.set(globalStep);
        loss.set(stepLoss);
        waitSeconds.increment(waitNanos / 1e9);
        trainSeconds.increment(trainNanos / 1e9);
        anchors(anchors);
        long now = System.nanoTime();
        window.addLast(new long[] {now, waitNanos, trainNanos});
        if (window.size() > WINDOW) {
            window.removeFirst();
        }
        long wait = 0;
        long train = 0;
        for (long[] w : window) {
            wait += w[1];
            train += w[2];
        }
        waitFraction.set(wait + train > 0 ? (double) wait / (wait + train) : Double.NaN);
        if (window.size() >= 2) {
            stepsPerSecond.set((window.size() - 1) / ((now - window.getFirst()[0]) / 1e9));
        }
    }

    void modelStep(long globalStep, List<AnchorPx> anchors) {
        step.set(globalStep);
        anchors(anchors);
    }

    void eval(double ap, double iou, int images) {
        ap50.set(ap);
        anchorIou.set(iou);
        heldOutImages.set(images);
    }

    void lag(long records) {
        lag.set(records);
    }

    void checkpoint(long atStep, boolean committed) {
        checkpoints.increment();
        checkpointStep.set(atStep);
        if (!committed) {
            commitFailures.increment();
        }
    }

    void retrained() {
        retrained.increment();
    }

    void deadLetter(String topic, String kind) {
        Counter.builder("abo.trainer.dead.letters").description("records dead-lettered (written to the dead-letter topic) by this process")
                .tag("topic", topic).tag("kind", kind).register(registry).increment();
    }

    void deadLetterReplayed(String topic, String kind) {
        Counter.builder("abo.trainer.dead.letters.replayed")
                .description("records to dead-letter that the dead-letter topic already held (written before a crash): not written again")
                .tag("topic", topic).tag("kind", kind).register(registry).increment();
    }

    private void anchors(List<AnchorPx> anchors) {
        if (anchorW.length != anchors.size()) {
            anchorW = new DoubleValue[anchors.size()];
            anchorH = new DoubleValue[anchors.size()];
            for (int k = 0; k < anchors.size(); k++) {
                anchorW[k] = new DoubleValue();
                anchorH[k] = new DoubleValue();
                Gauge.builder("abo.trainer.anchor.width.px", anchorW[k], DoubleValue::get).tag("anchor", Integer.toString(k))
                        .description("anchor width in input pixels").register(registry);
                Gauge.builder("abo.trainer.anchor.height.px", anchorH[k], DoubleValue::get).tag("anchor", Integer.toString(k))
                        .description("anchor height in input pixels").register(registry);
            }
        }
        for (int k = 0; k < anchors.size(); k++) {
            anchorW[k].set(anchors.get(k).w());
            anchorH[k].set(anchors.get(k).h());
        }
    }

    /** A double written by one thread and read by others. */
    private static final class DoubleValue {
        private volatile double value;

        DoubleValue() {
            this(0);
        }

        DoubleValue(double initial) {
            value = initial;
        }

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }
}
