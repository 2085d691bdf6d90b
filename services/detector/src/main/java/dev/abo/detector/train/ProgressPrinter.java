package dev.abo.detector.train;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One line for people every {@code everySteps} steps or {@code everySeconds} seconds (whichever comes
 * first), and after the last step:
 * <pre>
 * step  120/300  loss 1.234  2.9 steps/s  ETA 1m02s  AP50 0.412@100  anchors 5x6 9x17 ...  data wait 3%
 * </pre>
 * The loss is an exponential moving average (weight 0.1 for the newest step) since one batch is noisy;
 * steps/s and the data-wait share are over the steps since the previous line.
 */
public final class ProgressPrinter implements TrainingListener {
    private final Consumer<String> out;
    private final long totalSteps;
    private final long everySteps;
    private final double everySeconds;
    private double smoothed = Double.NaN;
    private String lastEval = "-";
    private long lastPrintNanos = System.nanoTime();
    private long stepsSincePrint;
    private double waitMsSincePrint;

    /** @param out receives one finished line at a time (e.g. {@code System.err::println}) */
    public ProgressPrinter(Consumer<String> out, long totalSteps, long everySteps, double everySeconds) {
        this.out = out;
        this.totalSteps = totalSteps;
        this.everySteps = Math.max(1, everySteps);
        this.everySeconds = everySeconds;
    }

    @Override
    public void onStep(StepRecord r, ComputationGraph net) {
        smoothed = Double.isNaN(smoothed) ? r.loss() : 0.9 * smoothed + 0.1 * r.loss();
        stepsSincePrint++;
        waitMsSincePrint += r.waitMs();
        long now = System.nanoTime();
        double elapsed = (now - lastPrintNanos) / 1e9;
        long done = r.step() + 1;
        if (done % everySteps != 0 && elapsed < everySeconds && done != totalSteps) {
            return;
        }
        double rate = elapsed > 0 ? stepsSincePrint / elapsed : 0;
        long eta = rate > 0 ? Math.round((totalSteps - done) / rate) : 0;
        out.accept(String.format(Locale.ROOT, "step %5d/%d  loss %.4f  %.2f steps/s  ETA %dm%02ds  AP50 %s  anchors %s  data wait %.0f%%",
                done, totalSteps, smoothed, rate, eta / 60, eta % 60, lastEval, shortAnchors(r.anchors()),
                elapsed > 0 ? 100 * waitMsSincePrint / 1e3 / elapsed : 0));
        lastPrintNanos = now;
        stepsSincePrint = 0;
        waitMsSincePrint = 0;
    }

    @Override
    public void onEval(EvalRecord e) {
        lastEval = String.format(Locale.ROOT, "%.3f@%d", e.ap50(), e.step());
        out.accept(String.format(Locale.ROOT, "eval  step %d: AP50 %.4f on %d held-out images (%d detections), anchor avg IoU %.3f, %.1f s",
                e.step(), e.ap50(), e.images(), e.detections(), e.anchorIou(), e.seconds()));
    }

    /** {@code 5x6 9x17 ...}: anchors rounded to whole pixels. */
    public static String shortAnchors(List<AnchorPx> anchors) {
        return anchors.stream().map(a -> String.format(Locale.ROOT, "%.0fx%.0f", a.w(), a.h())).collect(Collectors.joining(" "));
    }
}
