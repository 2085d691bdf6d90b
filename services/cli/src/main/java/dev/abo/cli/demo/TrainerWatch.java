package dev.abo.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.StepRecord;
import dev.abo.trainer.TrainerListener;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What one trainer did, recorded from its listener (the training thread) and read by the demo's other threads:
 * every step (loss, anchors after it, where its batch came from), every evaluation, and the anchors just before
 * its first batch of drifted camera frames (once {@link #driftAt} says which camera batch that is).
 */
final class TrainerWatch implements TrainerListener {

    /** The anchors at the drift: after the last step before the first drifted camera batch. */
    record AtDrift(long step, List<AnchorPx> anchors) {
    }

    private final String cameraSource;
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<EvalRecord> evals = new ArrayList<>();
    private final TreeMap<String, Long> batchesBySource = new TreeMap<>();
    private long driftBatch = -1;
    private AtDrift atDrift;
    private long stepsAfterDrift;
    private long deadLetters;
    private long firstStepNanos;
    private long lastStepNanos;

    /** @param cameraSource the camera's record key: only its batches can be drifted */
    TrainerWatch(String cameraSource) {
        this.cameraSource = cameraSource;
    }

    /** The camera's batches from {@code batch} on show the drifted scene. */
    synchronized void driftAt(long batch) {
        driftBatch = batch;
    }

    @Override
    public synchronized void onStep(StepEvent e, ComputationGraph net) {
        long now = System.nanoTime();
        if (steps.isEmpty()) {
            firstStepNanos = now;
        }
        lastStepNanos = now;
        if (atDrift == null && driftBatch >= 0 && e.source().equals(cameraSource) && e.sequence() >= driftBatch) {
            List<AnchorPx> before = steps.isEmpty() ? e.result().anchors() : steps.get(steps.size() - 1).anchors();
            atDrift = new AtDrift(e.step(), before);
        }
        if (atDrift != null) {
            stepsAfterDrift++;
        }
        batchesBySource.merge(e.source(), 1L, Long::sum);
        steps.add(new StepRecord(e.step(), e.result().loss(), e.result().networkLr(), e.result().anchorLr(),
                e.result().anchors(), e.waitNanos() / 1e6, e.trainNanos() / 1e6));
    }

    @Override
    public synchronized void onEval(EvalRecord eval) {
        evals.add(eval);
    }

    @Override
    public synchronized void onDeadLetter(DeadLetterEvent event) {
        deadLetters++;
    }

    synchronized List<StepRecord> steps() {
        return List.copyOf(steps);
    }

    synchronized List<EvalRecord> evals() {
        return List.copyOf(evals);
    }

    synchronized long stepCount() {
        return steps.size();
    }

    synchronized Optional<StepRecord> lastStep() {
        return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
    }

    synchronized Optional<EvalRecord> lastEval() {
        return evals.isEmpty() ? Optional.empty() : Optional.of(evals.get(evals.size() - 1));
    }

    synchronized Optional<AtDrift> atDrift() {
        return Optional.ofNullable(atDrift);
    }

    synchronized long stepsAfterDrift() {
        return stepsAfterDrift;
    }

    synchronized TreeMap<String, Long> batchesBySource() {
        return new TreeMap<>(batchesBySource);
    }

    synchronized long deadLetters() {
        return deadLetters;
    }

    /** Steps per second between the first and the last step; 0 before two steps. */
    synchronized double stepsPerSecond() {
        return steps.size() < 2 ? 0 : (steps.size() - 1) / ((lastStepNanos - firstStepNanos) / 1e9);
    }

    /** Mean loss of the last {@code n} steps; NaN before any. */
    synchronized double recentLoss(int n) {
        int from = Math.max(0, steps.size() - n);
        return steps.subList(from, steps.size()).stream().mapToDouble(StepRecord::loss).average().orElse(Double.NaN);
    }
}
