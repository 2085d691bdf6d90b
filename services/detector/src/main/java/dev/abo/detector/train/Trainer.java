package dev.abo.detector.train;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.sample.SampleSource;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training loop. Step {@code s} (from 0):
 * <ol>
 *   <li>its batch, samples {@code s * batch + j} of the training source with the warm-up values of step
 *       {@code s} in the labels, prepared ahead on a background thread ({@link BatchPrefetcher});</li>
 *   <li>learning rates: the configured rates times the policy's multiplier at {@code s}, network and
 *       anchors separately ({@link LearningRates});</li>
 *   <li>{@code net.fit}, then a {@link StepRecord} (loss, anchors after the update, timings);</li>
 *   <li>after steps {@code s + 1 = k * evalEvery} and after the last step: a held-out evaluation.</li>
 * </ol>
 * Everything a step does depends only on the network state, the step number and the seeds, so a run
 * resumed from a checkpoint of step {@code n} (written with its updater state) continues exactly as the
 * uninterrupted run would have.
 */
public final class Trainer {
    private static final int PREFETCH_DEPTH = 3;

    private final TrainingConfig config;
    private final SampleSource train;
    private final HeldOutEvaluation heldOut;

    public Trainer(TrainingConfig config, SampleSource train, HeldOutEvaluation heldOut) {
        DetectorConfig d = config.detector();
        if (train.inputWidth() != d.inputSize() || train.inputHeight() != d.inputSize()) {
            throw new IllegalArgumentException("training samples are " + train.inputWidth() + "x" + train.inputHeight()
                    + " but the network input is " + d.inputSize() + "x" + d.inputSize());
        }
        if (train.classNames().size() != d.numClasses()) {
            throw new IllegalArgumentException("the training source has " + train.classNames().size()
                    + " classes but the network " + d.numClasses());
        }
        this.config = config;
        this.train = train;
        this.heldOut = heldOut;
    }

    public TrainingConfig config() {
        return config;
    }

    /** A fresh network for this configuration with the given initial anchors. */
    public ComputationGraph newNetwork(dev.abo.core.anchor.AnchorSet anchors) {
        return DetectorGraph.build(config.detector(), anchors);
    }

    /**
     * Trains {@code net} from {@code startStep} (0 for a new network, the checkpoint's step when resumed)
     * to {@code config.steps()}.
     */
    public TrainingReport run(ComputationGraph net, long startStep, TrainingListener listener) {
        return run(net, startStep, config.steps(), listener);
    }

    /**
     * Runs only steps {@code [startStep, stopStep)} of the configured run (warm-up, learning rates and
     * evaluation points are those of the whole run): an interrupted run, to be resumed at {@code stopStep}.
     */
    public TrainingReport run(ComputationGraph net, long startStep, long stopStep, TrainingListener listener) {
        if (startStep < 0 || startStep > stopStep || stopStep > config.steps()) {
            throw new IllegalArgumentException("need 0 <= start step <= stop step <= " + config.steps() + ", got "
                    + startStep + " and " + stopStep);
        }
        DetectorConfig d = config.detector();
        List<AnchorPx> initial = AnchorPx.of(DetectorGraph.anchors(net, d));
        List<StepRecord> steps = new ArrayList<>();
        List<EvalRecord> evals = new ArrayList<>();
        long loopNanos = 0;
        long evalNanos = 0;
        long waitNanos;
        long ignored = 0;
        try (BatchPrefetcher data = new BatchPrefetcher(train, config, startStep, stopStep, PREFETCH_DEPTH)) {
            for (long step = startStep; step < stopStep; step++) {
                long t0 = System.nanoTime();
                long waitBefore = data.waitNanos();
                PreparedBatch batch = data.next();
                long waited = data.waitNanos() - waitBefore;
                ignored += batch.ignored();
                double m = config.lrPolicy().multiplier(step, config.steps());
                double netLr = d.networkLearningRate() * m;
                double anchorLr = d.anchorMode() == DetectorConfig.AnchorMode.FIXED ? 0 : d.anchorLearningRate() * m;
                LearningRates.apply(net, d, netLr, anchorLr);
                long tFit = System.nanoTime();
                net.fit(new DataSet(batch.input(), batch.labels()));
                long tEnd = System.nanoTime();
                StepRecord r = new StepRecord(step, net.score(), netLr, anchorLr, AnchorPx.of(DetectorGraph.anchors(net, d)),
                        waited / 1e6, (tEnd - tFit) / 1e6);
                steps.add(r);
                loopNanos += System.nanoTime() - t0;
                listener.onStep(r, net);
                if (heldOut != null && ((step + 1) % config.evalEvery() == 0 || step + 1 == config.steps())) {
                    long e0 = System.nanoTime();
                    EvalRecord e = heldOut.evaluate(net, d, step + 1);
                    evalNanos += System.nanoTime() - e0;
                    evals.add(e);
                    listener.onEval(e);
                }
            }
            waitNanos = data.waitNanos();
        }
        return new TrainingReport(config, startStep, initial, steps, evals, loopNanos / 1e9, waitNanos / 1e9, evalNanos / 1e9,
                ignored);
    }
}
