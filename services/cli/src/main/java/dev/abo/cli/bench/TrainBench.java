package dev.abo.cli.bench;

import dev.abo.cli.JsonOutput;
import dev.abo.detector.Nd4jSetup;
import dev.abo.detector.bench.StepStats;
import dev.abo.detector.bench.TrainBenchResult;
import dev.abo.detector.bench.TrainBenchmark;
import dev.abo.detector.bench.TrainVariant;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo bench train}: what learnable anchors cost per training step, against fixed anchors on the
 * same graph and against DL4J's own YOLOv2 layer, all in one JVM (see {@link TrainBenchmark}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time training steps of three detectors in ONE run: same JVM, same backbone (16-32-64-128-128),",
            "same synthetic:mixed batches, same seeds, the timed steps interleaved round-robin after a warm-up:",
            "  (a) learnable anchors: our YOLOv2 loss (analytic gradients in Java) with the anchors as trained",
            "      parameters (Adam), the paper's soft assignment + online clustering (warm-up values) and BN",
            "      without shift on tw/th;",
            "  (b) fixed anchors: the SAME graph and loss, anchors frozen (SGD at rate 0), hard assignment;",
            "  (c) DL4J's own org.deeplearning4j...objdetect.Yolo2OutputLayer with the same priors as fixed",
            "      boundingBoxPriors (grid units) on the same backbone (weights copied from (b)), one conv1x1 head",
            "      with A(5+C) channels, no BN-without-shift branch, labels in its [B, 4+C, S, S] corner format.",
            "Prints ms/step (median, p90; wall clock and the thread's CPU time, which leaves out time lost to other",
            "processes on a shared box when OMP_NUM_THREADS=1), a/b (the paper pays 0.8154/0.8027 = 1.016) and a/c, inference ms/image",
            "of all three at batch 1 and at --batch (a and b are the same graph at inference), the DL4J runtime",
            "(layer helpers, OpenMP threads) and the load average. Run with OMP_NUM_THREADS=1 on a shared box."})
public final class TrainBench implements Callable<Integer> {
    /** The paper's Faster R-CNN step time with and without learnable anchors (Sec. 4, 4 GPUs, PyTorch). */
    static final double PAPER_RATIO = 0.8154 / 0.8027;

    @Spec
    CommandSpec spec;

    @Option(names = "--input-size", defaultValue = "128", description = "input side in pixels, a multiple of 16 (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--batch", defaultValue = "16", description = "images per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "20", description = "timed steps per variant (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup-steps", defaultValue = "5", description = "untimed steps per variant first (default ${DEFAULT-VALUE})")
    int warmupSteps;

    @Option(names = "--rounds", defaultValue = "20",
            description = "round-robin rounds the timed steps are spread over; as many as --steps = one step per variant per round (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--inference-runs", defaultValue = "15", description = "timed output calls per variant and batch size (default ${DEFAULT-VALUE})")
    int inferenceRuns;

    @Option(names = "--seed", defaultValue = "1", description = "scenes and weight initialisation (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Nd4jSetup.enableHelpers();   // DL4J M2.1 defaults them off; conv/BN/pool are ~3x slower without (dl4j-recipes 5.1)
        // bad numbers throw IllegalArgumentException before any work: a user error (exit 2) with the reason
        TrainBenchmark.Settings settings = new TrainBenchmark.Settings(inputSize, batch, steps, warmupSteps, rounds,
                inferenceRuns, seed);
        TrainBenchmark.config(settings, 1);   // checks the input size against the backbone's stride
        String loadBefore = loadAverage();
        // DL4J/ND4J code may println() to System.out (SameDiff prints ~100 "Added differentiated op" lines when
        // it builds a gradient function, dl4j-recipes 1.2): keep any of it out of our stdout (--json must stay
        // parseable). `out` was obtained above, so it still writes to the real stdout.
        java.io.PrintStream stdout = System.out;
        TrainBenchResult r;
        try {
            System.setOut(System.err);
            r = TrainBenchmark.run(settings, line -> {
                err.println("bench train: " + line);
                err.flush();
            });
        } finally {
            System.setOut(stdout);
        }
        String loadAfter = loadAverage();
        if (json) {
            JsonOutput.print(out, toJson(r, loadBefore, loadAfter));
        } else {
            printText(out, r, loadBefore, loadAfter);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> toJson(TrainBenchResult r, String loadBefore, String loadAfter) {
        Map<String, Object> m = new LinkedHashMap<>();
        TrainBenchmark.Settings s = r.settings();
        m.put("input_size_px", s.inputSize());
        m.put("batch", s.batch());
        m.put("steps", s.steps());
        m.put("warmup_steps", s.warmupSteps());
        m.put("rounds", s.rounds());
        m.put("seed", s.seed());
        m.put("dataset", r.dataset());
        m.put("classes", r.numClasses());
        m.put("grid", r.gridSize());
        Map<String, Object> train = new LinkedHashMap<>();
        for (TrainVariant v : TrainVariant.values()) {
            train.put(v.key(), stats(r.train().get(v)));
        }
        m.put("train_ms_per_step", train);
        Map<String, Object> trainCpu = new LinkedHashMap<>();
        for (TrainVariant v : TrainVariant.values()) {
            trainCpu.put(v.key(), stats(r.trainCpu().get(v)));
        }
        m.put("train_cpu_ms_per_step", trainCpu);
        m.put("ratio_a_b", JsonOutput.round(r.learnedOverFixed(), 4));
        m.put("ratio_a_c", JsonOutput.round(r.learnedOverYolo2(), 4));
        m.put("ratio_a_b_cpu", JsonOutput.round(r.learnedOverFixedCpu(), 4));
        m.put("ratio_a_c_cpu", JsonOutput.round(r.learnedOverYolo2Cpu(), 4));
        m.put("ratio_a_b_paired", JsonOutput.round(r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_FIXED), 4));
        m.put("ratio_a_c_paired", JsonOutput.round(r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_YOLO2), 4));
        m.put("ratio_a_b_cpu_paired", JsonOutput.round(r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_FIXED_CPU), 4));
        m.put("ratio_a_c_cpu_paired", JsonOutput.round(r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_YOLO2_CPU), 4));
        m.put("paper_ratio", JsonOutput.round(PAPER_RATIO, 4));
        Map<String, Object> shift = new LinkedHashMap<>();
        for (Map.Entry<TrainVariant, Double> e : r.anchorShift().entrySet()) {
            shift.put(e.getKey().key(), e.getValue());
        }
        m.put("max_log_anchor_change", shift);
        Map<String, Object> inference = new LinkedHashMap<>();
        for (TrainBenchResult.InferenceTiming t : r.inference()) {
            Map<String, Object> atBatch = new LinkedHashMap<>();
            for (TrainVariant v : TrainVariant.values()) {
                atBatch.put(v.key(), stats(t.msPerImage().get(v)));
            }
            atBatch.put("ratio_a_b", JsonOutput.round(t.learnedOverFixed(), 4));
            inference.put("batch_" + t.batch(), atBatch);
        }
        m.put("inference_ms_per_image", inference);
        Nd4jSetup.RuntimeReport rt = r.runtime();
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("backend", rt.backend());
        runtime.put("helpers_enabled", rt.helpersEnabled());
        runtime.put("onednn_available", rt.oneDnnAvailable());
        runtime.put("max_threads", rt.maxThreads());
        runtime.put("omp_num_threads", rt.ompNumThreadsEnv());
        runtime.put("blas", rt.blasVendor());
        runtime.put("problems", rt.problems());
        m.put("runtime", runtime);
        m.put("load_average_before", loadBefore);
        m.put("load_average_after", loadAfter);
        m.put("wall_seconds", JsonOutput.round(r.wallSeconds(), 2));
        return m;
    }

    private static Map<String, Object> stats(StepStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", JsonOutput.round(s.median(), 3));
        m.put("p90", JsonOutput.round(s.p90(), 3));
        m.put("mean", JsonOutput.round(s.mean(), 3));
        m.put("min", JsonOutput.round(s.min(), 3));
        m.put("n", s.count());
        return m;
    }

    private static void printText(PrintWriter out, TrainBenchResult r, String loadBefore, String loadAfter) {
        TrainBenchmark.Settings s = r.settings();
        out.printf(Locale.ROOT, "train step  %d px (grid %d), batch %d, %s (C=%d): %d timed steps per variant in %d rounds after %d warm-up%n",
                s.inputSize(), r.gridSize(), s.batch(), r.dataset(), r.numClasses(), s.steps(),
                Math.min(s.rounds(), s.steps()), s.warmupSteps());
        out.printf(Locale.ROOT, "  %-15s %28s   %s%n", "", "wall ms/step median  p90  min", "thread CPU ms/step median  p90");
        for (TrainVariant v : TrainVariant.values()) {
            StepStats st = r.train().get(v);
            StepStats cpu = r.trainCpu().get(v);
            out.printf(Locale.ROOT, "  (%s) %-11s %14.1f %7.1f %7.1f   %21.1f %7.1f%n", v.letter(), v.key(),
                    st.median(), st.p90(), st.min(), cpu.median(), cpu.p90());
        }
        StepStats a = r.train().get(TrainVariant.LEARNED);
        out.printf(Locale.ROOT, "  a/b %.3f wall, %.3f CPU of the medians; per-round paired %.3f wall, %.3f CPU; of the wall minima %.3f"
                        + " (goal <= 1.01, the paper pays %.3f)%n",
                r.learnedOverFixed(), r.learnedOverFixedCpu(), r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_FIXED),
                r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_FIXED_CPU),
                a.min() / r.train().get(TrainVariant.FIXED).min(), PAPER_RATIO);
        out.printf(Locale.ROOT, "  a/c %.3f wall, %.3f CPU of the medians; per-round paired %.3f wall, %.3f CPU; of the wall minima %.3f"
                        + " (goal <= 1.00)%n",
                r.learnedOverYolo2(), r.learnedOverYolo2Cpu(), r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_YOLO2),
                r.pairedRatios().get(TrainBenchResult.LEARNED_OVER_YOLO2_CPU),
                a.min() / r.train().get(TrainVariant.DL4J_YOLO2).min());
        out.printf(Locale.ROOT, "  largest log-anchor change: (a) %.4f, (b) %.4f%n",
                r.anchorShift().get(TrainVariant.LEARNED), r.anchorShift().get(TrainVariant.FIXED));
        for (TrainBenchResult.InferenceTiming t : r.inference()) {
            out.printf(Locale.ROOT, "inference batch %-3d", t.batch());
            for (TrainVariant v : TrainVariant.values()) {
                out.printf(Locale.ROOT, "  (%s) %.2f", v.letter(), t.msPerImage().get(v).median());
            }
            out.printf(Locale.ROOT, " ms/image (median; p90 a %.2f b %.2f)  a/b %.3f%n",
                    t.msPerImage().get(TrainVariant.LEARNED).p90(), t.msPerImage().get(TrainVariant.FIXED).p90(),
                    t.learnedOverFixed());
        }
        Nd4jSetup.RuntimeReport rt = r.runtime();
        out.printf(Locale.ROOT, "runtime     %s, helpers %s, oneDNN %s, %d threads (OMP_NUM_THREADS=%s), BLAS %s%n",
                rt.backend(), rt.helpersEnabled() ? "on" : "OFF", rt.oneDnnAvailable() ? "yes" : "NO", rt.maxThreads(),
                rt.ompNumThreadsEnv() == null ? "unset" : rt.ompNumThreadsEnv(), rt.blasVendor());
        for (String p : rt.problems()) {
            out.println("  warning: " + p);
        }
        out.printf(Locale.ROOT, "load avg    before %s, after %s; wall %.1f s%n", loadBefore, loadAfter, r.wallSeconds());
    }

    /** The 1, 5 and 15 minute load averages of the machine, or "unknown" off Linux. */
    static String loadAverage() {
        try {
            List<String> f = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"));
            return String.join(" ", f.subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
