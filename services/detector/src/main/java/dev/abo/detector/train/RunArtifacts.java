package dev.abo.detector.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.abo.detector.Checkpoint;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The files a run leaves in its output directory:
 * <ul>
 *   <li>{@value #MODEL}: the {@link Checkpoint} (with updater state, so the run can be resumed);</li>
 *   <li>{@value #METRICS}: {@link TrainingMetrics} as JSON;</li>
 *   <li>{@value #ANCHORS}: the anchor trajectory, {@code step,k,w_px,h_px}, one row per step and anchor
 *       with the anchors held after that step's update (full double precision);</li>
 *   <li>{@value #HISTORY}: {@code step,loss,network_lr,anchor_lr,wait_ms,fit_ms,ap50,anchor_iou}, one row
 *       per step; the two evaluation columns are filled on rows whose step completed an evaluation
 *       (evaluation step {@code e} = after step {@code e - 1}) and empty otherwise.</li>
 * </ul>
 */
public final class RunArtifacts {
    public static final String MODEL = "model.zip";
    public static final String METRICS = "metrics.json";
    public static final String ANCHORS = "anchors.csv";
    public static final String HISTORY = "history.csv";

    /** Non-finite doubles (an AP without ground truth, a loss of no step) are written as JSON null and read back as NaN. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(NonFiniteAsNull.module());

    private RunArtifacts() {
    }

    /** Writes all four files into {@code dir} (created if needed) and returns the metrics written; no class names. */
    public static TrainingMetrics write(Path dir, ComputationGraph net, TrainingReport report) throws IOException {
        return write(dir, net, report, null);
    }

    /**
     * Writes all four files into {@code dir} (created if needed) and returns the metrics written. The
     * checkpoint holds the step the run stopped at ({@link TrainingReport#endStep()}, where a resumed run
     * continues) and {@code classNames} (null = none).
     */
    public static TrainingMetrics write(Path dir, ComputationGraph net, TrainingReport report, List<String> classNames)
            throws IOException {
        Files.createDirectories(dir);
        Checkpoint.write(dir.resolve(MODEL), net, report.config().detector(), report.endStep(), true, classNames);
        TrainingMetrics metrics = TrainingMetrics.of(report);
        writeMetrics(dir.resolve(METRICS), metrics);
        writeAnchors(dir.resolve(ANCHORS), report.steps());
        writeHistory(dir.resolve(HISTORY), report);
        return metrics;
    }

    public static void writeMetrics(Path file, TrainingMetrics metrics) throws IOException {
        JSON.writeValue(file.toFile(), metrics);
    }

    public static TrainingMetrics readMetrics(Path file) throws IOException {
        return JSON.readValue(file.toFile(), TrainingMetrics.class);
    }

    /** The metrics as a JSON string (what {@code abo train --json} prints). */
    public static String toJson(TrainingMetrics metrics) throws IOException {
        return JSON.writeValueAsString(metrics);
    }

    public static void writeAnchors(Path file, List<StepRecord> steps) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("step,k,w_px,h_px\n");
            for (StepRecord r : steps) {
                for (int k = 0; k < r.anchors().size(); k++) {
                    AnchorPx a = r.anchors().get(k);
                    w.write(r.step() + "," + k + "," + a.w() + "," + a.h() + "\n");
                }
            }
        }
    }

    public static void writeHistory(Path file, TrainingReport report) throws IOException {
        Map<Long, EvalRecord> evalAfter = new HashMap<>();
        for (EvalRecord e : report.evals()) {
            evalAfter.put(e.step() - 1, e);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("step,loss,network_lr,anchor_lr,wait_ms,fit_ms,ap50,anchor_iou\n");
            for (StepRecord r : report.steps()) {
                EvalRecord e = evalAfter.get(r.step());
                w.write(r.step() + "," + r.loss() + "," + r.networkLr() + "," + r.anchorLr() + "," + r.waitMs() + ","
                        + r.fitMs() + "," + (e == null ? "" : e.ap50()) + "," + (e == null ? "" : e.anchorIou()) + "\n");
            }
        }
    }
}
