package dev.abo.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a demo run did, as plain values: printed as a table ({@link SummaryTable}), written as JSON for scripts
 * ({@code --json FILE}, {@link #toJson}/{@link #fromJson} round-trip exactly) and rendered into the HTML report.
 * Numbers that were not measured (a phase never reached, an interrupted run) are null, never NaN.
 *
 * @param complete       false when the run was interrupted (Ctrl-C) or a service failed: the numbers are partial
 * @param endedBy        {@code finished}, {@code interrupted} or the failure
 * @param minutesPlanned {@code --minutes}
 * @param secondsRun     from the first service starting to the summary
 * @param batchesWritten training batches on the topic by source (what the loaders wrote; the trainers' counts are
 *                       what they trained)
 * @param cameraBoxes    the camera's boxes on the topic before and after the drift
 * @param cpuSeconds     CPU time of the training window by part of the system (threads of this JVM)
 */
public record DemoSummary(boolean complete, String endedBy, double minutesPlanned, double secondsRun, Setup setup,
                          Trainer learned, Trainer fixed, Map<String, Long> batchesWritten, Drift drift,
                          Registry registry, List<AnchorRow> anchors, Phases cameraBoxes, Ap50 ap50, Serving serving, Map<String, Double> cpuSeconds, Outputs outputs) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Names of the rows of {@link #anchors}: the initial set is followed by its initialiser, e.g. {@code initial (coco)}. */
    public static final String INITIAL = "initial";
    public static final String LEARNED_AT_DRIFT = "learned at the drift";
    public static final String LEARNED_AT_END = "learned at the end";
    public static final String FIXED_AT_END = "fixed at the end";
    public static final String KMEANS_BEFORE = "k-means before the drift";
    public static final String KMEANS_AFTER = "k-means after the drift";

    public DemoSummary {
        anchors = List.copyOf(anchors);
        batchesWritten = new TreeMap<>(batchesWritten);
        cpuSeconds = new TreeMap<>(cpuSeconds);
    }

    /**
     * How the run was set up.
     *
     * @param plannedStepsPerSecond the rate the loaders were paced for ({@link DemoSettings#stepsPerSecond()})
     * @param trainingSeconds       the planned training window
     */
    public record Setup(int inputSize, int batch, List<Integer> backbone, int classes, String anchorInit,
                        double plannedStepsPerSecond, double trainingSeconds, long warmupSteps, double cameraBatchesPerSecond,
                        double vocBatchesPerSecond, int evalEvery, int evalImages) {
        public Setup {
            backbone = List.copyOf(backbone);
        }
    }

    /** One trainer's run. {@code evals} are its held-out evaluations (the most recent camera held-out window). */
    public record Trainer(long steps, Double stepsPerSecond, long stepsAfterDrift, Map<String, Long> batchesBySource,
                          long deadLetters, List<EvalPoint> evals) {
        public Trainer {
            batchesBySource = new TreeMap<>(batchesBySource);
            evals = List.copyOf(evals);
            stepsPerSecond = finite(stepsPerSecond);
        }

        /** AP50 of the last evaluation, null before any. */
        public Double lastAp50() {
            return evals.isEmpty() ? null : evals.get(evals.size() - 1).ap50();
        }
    }

    public record EvalPoint(long step, Double ap50, Double anchorIou, int images) {
        public EvalPoint {
            ap50 = finite(ap50);
            anchorIou = finite(anchorIou);
        }
    }

    /**
     * The drift: the camera's first drifted frame and batch, when it happened and at which step each trainer
     * first trained a drifted batch (null if it did not get there).
     */
    public record Drift(long frame, long batch, double secondsIntoRun, Long learnedStep, Long fixedStep) {
    }

    /**
     * @param versions     every version of the model on the registry's log, in log order
     * @param promotions   every promotion, in log order
     * @param servingAtEnd the version the inference service served when it stopped (null: none)
     */
    public record Registry(String url, String token, List<Version> versions, List<Promotion> promotions, Long servingAtEnd) {
        public Registry {
            versions = List.copyOf(versions);
            promotions = List.copyOf(promotions);
        }

        public int versionsCreated() {
            return versions.size();
        }

        /** The distinct versions that were promoted at some point, ascending. */
        public List<Long> promotedVersions() {
            return promotions.stream().map(Promotion::version).distinct().sorted().toList();
        }
    }

    /**
     * A version: the training step it was taken at, its AP50 on the held-out window then (null: not evaluated), and
     * the registry's decision when it arrived: {@code promoted} and its {@code decisionReason} (null: not recorded).
     */
    public record Version(long version, long step, Double ap50, Boolean promoted, String decisionReason) {
        public Version {
            ap50 = finite(ap50);
        }
    }

    /**
     * A move of the promoted pointer: {@code reason} {@code auto}, {@code manual} or {@code rollback}; for {@code auto}
     * {@code policyReason} is the registry's reason (the version's decision), else null.
     */
    public record Promotion(long version, String reason, String policyReason) {
    }

    /** An anchor set (width x height px at the input size) and its average best IoU with each phase's camera boxes. */
    public record AnchorRow(String name, List<Wh> anchors, Double iouBefore, Double iouAfter) {
        public AnchorRow {
            anchors = List.copyOf(anchors);
            iouBefore = finite(iouBefore);
            iouAfter = finite(iouAfter);
        }
    }

    public record Wh(double w, double h) {
    }

    public record Phases(long before, long after) {
    }

    /** AP50 of the final learned and fixed models on {@code images} held-out camera scenes of each phase. */
    public record Ap50(int images, Double learnedBefore, Double fixedBefore, Double learnedAfter, Double fixedAfter) {
        public Ap50 {
            learnedBefore = finite(learnedBefore);
            fixedBefore = finite(fixedBefore);
            learnedAfter = finite(learnedAfter);
            fixedAfter = finite(fixedAfter);
        }
    }

    /** {@code Detect} calls over gRPC: answers per model version, failures per status code, latency in ms. */
    public record Serving(long served, long failed, Map<Long, Long> servedByVersion, Map<String, Long> failedByCode,
                          Double p50Ms, Double p99Ms) {
        public Serving {
            servedByVersion = new TreeMap<>(servedByVersion);
            failedByCode = new TreeMap<>(failedByCode);
            p50Ms = finite(p50Ms);
            p99Ms = finite(p99Ms);
        }
    }

    public record Outputs(String dir, String report, String registryPage) {
    }

    /** The anchor row called {@code name}, if the run got to it. */
    public java.util.Optional<AnchorRow> anchorRow(String name) {
        return anchors.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the summary: " + e.getMessage(), e);
        }
    }

    public static DemoSummary fromJson(String json) {
        try {
            return JSON.readValue(json, DemoSummary.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a demo summary: " + e.getMessage(), e);
        }
    }

    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
