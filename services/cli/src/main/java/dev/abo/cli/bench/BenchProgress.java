package dev.abo.cli.bench;

import dev.abo.detector.train.ProgressPrinter;
import dev.abo.detector.train.StepRecord;
import dev.abo.detector.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Progress of a whole bench on stderr: each run's {@link ProgressPrinter} lines prefixed with the run
 * ({@code [3/18] synthetic:heads Opt(kmeans) seed 1}) and followed by the ETA of the whole bench, estimated
 * from the steps done so far (set-up and evaluation time included).
 */
final class BenchProgress {
    private final PrintWriter err;
    private final long totalSteps;
    private final long startNanos = System.nanoTime();
    private long stepsDone;

    BenchProgress(PrintWriter err, long totalSteps) {
        this.err = err;
        this.totalSteps = totalSteps;
    }

    void line(String text) {
        err.println(text);
        err.flush();
    }

    /** The listener of one run of {@code steps} steps, its lines prefixed with {@code label}. */
    TrainingListener forRun(String label, long steps) {
        ProgressPrinter printer = new ProgressPrinter(l -> line(label + "  " + l + "  | bench " + eta()), steps,
                Math.max(1, steps / 10), 20);
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onStep(StepRecord record, ComputationGraph net) {
                stepsDone++;
            }
        };
        return TrainingListener.all(counter, printer);
    }

    /** {@code "41% ETA 8m12s"} over every step of the bench. */
    String eta() {
        double elapsed = elapsedSeconds();
        if (stepsDone == 0) {
            return "0% ETA -";
        }
        long eta = Math.round(elapsed / stepsDone * (totalSteps - stepsDone));
        return String.format(Locale.ROOT, "%.0f%% ETA %s", 100.0 * stepsDone / totalSteps, minutes(eta));
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String minutes(long seconds) {
        return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
