package dev.abo.detector.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.augment.AffineCrop;
import dev.abo.core.augment.Letterbox;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.schedule.WarmupSchedule;
import dev.abo.core.synth.MixedScenes;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.InputEncoder;
import dev.abo.detector.LabelEncoder;
import dev.abo.detector.LossSchedule;
import dev.abo.detector.Nd4jSetup;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Training-step cost of learnable anchors, measured in ONE JVM on the same backbone, the same
 * synthetic batches and the same seeds for the three {@link TrainVariant}s:
 * <ol type="a">
 *   <li>{@link DetectorGraph} with anchorMode LEARNED, labels carrying the paper's warm-up (soft assignment,
 *       T = 2, online clustering lambda = 1: {@code WarmupSchedule.paper()} at step 0);</li>
 *   <li>the same graph with anchorMode FIXED and hard assignment ({@link LossSchedule#HARD});</li>
 *   <li>{@link Yolo2Baseline}: the same backbone (weights copied from (b)) under DL4J's Yolo2OutputLayer.</li>
 * </ol>
 * After {@code warmupSteps} untimed steps per variant (the first ones allocate the workspaces and JIT-compile),
 * the timed steps run in a {@link RoundRobinPlan}. Each step is timed twice: wall clock, and the CPU
 * time of the calling thread, which on a shared machine leaves out the time the thread waited for a
 * core (with {@code OMP_NUM_THREADS=1} every op runs on that thread; with more, the other OpenMP
 * threads' work is missing from it). Batches are rendered and encoded before any timing
 * (only {@code net.fit} is timed) and cycled in the same order for every variant. Inference
 * ({@code outputSingle(false, x)}) is timed afterwards on the first batch's images, at batch 1 and at
 * the training batch size, the variants again interleaved.
 */
public final class TrainBenchmark {
    /** Distinct batches rendered and cycled through (rendering is not what is measured). */
    static final int DISTINCT_BATCHES = 4;
    /** Untimed {@code output} calls per variant and batch size before the timed ones. */
    static final int INFERENCE_WARMUP = 2;

    private TrainBenchmark() {
    }

    /**
     * @param inputSize     network input side in pixels (a multiple of 16)
     * @param batch         images per training step
     * @param steps         timed training steps per variant
     * @param warmupSteps   untimed training steps per variant before them
     * @param rounds        round-robin rounds the timed steps are spread over
     * @param inferenceRuns timed {@code output} calls per variant and batch size
     * @param seed          seed of the scenes and of the weight initialisation
     */
    public record Settings(int inputSize, int batch, int steps, int warmupSteps, int rounds, int inferenceRuns,
                           long seed) {
        public Settings {
            if (batch < 1 || steps < 1 || rounds < 1 || inferenceRuns < 1) {
                throw new IllegalArgumentException("batch, steps, rounds and inference runs must be >= 1, got " + batch
                        + ", " + steps + ", " + rounds + ", " + inferenceRuns);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
            }
        }
    }

    /** The detector configuration of (a), {@link DetectorConfig#defaults}; (b) differs only in the anchor mode. */
    public static DetectorConfig config(Settings s, int numClasses) {
        return DetectorConfig.defaults(s.inputSize(), numClasses);
    }

    /**
     * Five fixed priors as fractions of the input side (small, wide, tall, medium, large), the kinds of
     * shapes {@code synthetic:mixed} draws. What they are does not change the cost of a step.
     */
    public static AnchorSet priors(int inputSize) {
        double[][] f = {{0.08, 0.08}, {0.25, 0.12}, {0.12, 0.25}, {0.3, 0.3}, {0.55, 0.5}};
        List<Shape> shapes = new ArrayList<>();
        for (double[] wh : f) {
            shapes.add(new Shape(wh[0] * inputSize, wh[1] * inputSize));
        }
        return AnchorSet.of(shapes, inputSize);
    }

    /** One variant under test: its network and its batches (the same images, labels in its format). */
    private record Contender(TrainVariant variant, ComputationGraph net, List<DataSet> batches) {
    }

    public static TrainBenchResult run(Settings s, Consumer<String> progress) {
        long wall0 = System.nanoTime();
        Nd4jSetup.RuntimeReport runtime = Nd4jSetup.report();
        MixedScenes scenes = new MixedScenes(s.seed());
        SampleSource source = SyntheticSampleSource.fitted(scenes,
                new Letterbox(s.inputSize(), s.inputSize(), AffineCrop.GREY_127), 0, s.inputSize(), s.inputSize());
        int numClasses = scenes.classNames().size();
        DetectorConfig learned = config(s, numClasses);
        DetectorConfig fixed = learned.withAnchors(learned.numAnchors(), DetectorConfig.AnchorMode.FIXED);
        AnchorSet anchors = priors(s.inputSize());
        DataType dt = DetectorGraph.dataType(learned);

        progress.accept(String.format(java.util.Locale.ROOT, "rendering %d batches of %d %s scenes at %d px...",
                Math.min(DISTINCT_BATCHES, s.steps() + s.warmupSteps()), s.batch(), scenes.name(), s.inputSize()));
        LossSchedule paperWarmup = LossSchedule.at(WarmupSchedule.paper(), 0, learned);
        List<DataSet> batchesA = new ArrayList<>();
        List<DataSet> batchesB = new ArrayList<>();
        List<DataSet> batchesC = new ArrayList<>();
        LabelEncoder encoder = new LabelEncoder(learned);
        for (int i = 0; i < Math.min(DISTINCT_BATCHES, s.steps() + s.warmupSteps()); i++) {
            List<RgbImage> images = new ArrayList<>();
            List<List<LabeledObject>> objects = new ArrayList<>();
            for (int j = 0; j < s.batch(); j++) {
                TrainingSample t = sample(source, (long) i * s.batch() + j);
                images.add(t.image());
                objects.add(t.objects());
            }
            INDArray in = InputEncoder.encode(images, s.inputSize(), dt);
            INDArray hard = encoder.encode(objects, LossSchedule.HARD, dt).labels();
            batchesA.add(new DataSet(in, encoder.encode(objects, paperWarmup, dt).labels()));
            batchesB.add(new DataSet(in, hard));
            batchesC.add(new DataSet(in, Yolo2Labels.fromLabelLayout(hard, numClasses, learned.numAnchors())));
        }

        progress.accept("building the three networks...");
        ComputationGraph netA = DetectorGraph.build(learned, anchors);
        ComputationGraph netB = DetectorGraph.build(fixed, anchors);
        ComputationGraph netC = Yolo2Baseline.build(fixed, anchors);
        Yolo2Baseline.copyBackbone(netB, netC);
        List<Contender> contenders = List.of(new Contender(TrainVariant.LEARNED, netA, batchesA),
                new Contender(TrainVariant.FIXED, netB, batchesB), new Contender(TrainVariant.DL4J_YOLO2, netC, batchesC));
        double[][] anchorsBefore = {logAnchors(netA, learned), logAnchors(netB, fixed)};

        int[] stepOf = new int[contenders.size()];
        if (s.warmupSteps() > 0) {
            progress.accept(s.warmupSteps() + " warm-up steps per variant (untimed; the first builds the gradient graphs)...");
            for (int w = 0; w < s.warmupSteps(); w++) {
                for (int v = 0; v < contenders.size(); v++) {
                    Contender c = contenders.get(v);
                    c.net().fit(c.batches().get(stepOf[v]++ % c.batches().size()));
                }
            }
        }

        RoundRobinPlan plan = new RoundRobinPlan(s.steps(), s.rounds(), contenders.size());
        double[][] ms = new double[contenders.size()][s.steps()];
        double[][] cpuMs = new double[contenders.size()][s.steps()];
        double[][] roundSums = new double[contenders.size()][plan.rounds()];
        double[][] roundCpuSums = new double[contenders.size()][plan.rounds()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int[] timed = new int[contenders.size()];
        for (int r = 0; r < plan.rounds(); r++) {
            progress.accept(String.format(java.util.Locale.ROOT, "round %d/%d: %d steps each, order %s", r + 1,
                    plan.rounds(), plan.stepsInRound(r), plan.order(r).stream().map(v -> contenders.get(v).variant().letter()).toList()));
            for (int v : plan.order(r)) {
                Contender c = contenders.get(v);
                for (int k = 0; k < plan.stepsInRound(r); k++) {
                    DataSet ds = c.batches().get(stepOf[v]++ % c.batches().size());
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    c.net().fit(ds);
                    double t = (System.nanoTime() - t0) / 1e6;
                    cpuMs[v][timed[v]] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
                    roundCpuSums[v][r] += cpuMs[v][timed[v]];
                    ms[v][timed[v]++] = t;
                    roundSums[v][r] += t;
                }
            }
        }
        Map<TrainVariant, StepStats> train = new EnumMap<>(TrainVariant.class);
        Map<TrainVariant, StepStats> trainCpu = new EnumMap<>(TrainVariant.class);
        for (int v = 0; v < contenders.size(); v++) {
            train.put(contenders.get(v).variant(), StepStats.of(ms[v]));
            trainCpu.put(contenders.get(v).variant(), StepStats.of(cpuMs[v]));
        }
        Map<String, Double> paired = new LinkedHashMap<>();
        paired.put(TrainBenchResult.LEARNED_OVER_FIXED, pairedRatio(roundSums[0], roundSums[1]));
        paired.put(TrainBenchResult.LEARNED_OVER_YOLO2, pairedRatio(roundSums[0], roundSums[2]));
        paired.put(TrainBenchResult.LEARNED_OVER_FIXED_CPU, pairedRatio(roundCpuSums[0], roundCpuSums[1]));
        paired.put(TrainBenchResult.LEARNED_OVER_YOLO2_CPU, pairedRatio(roundCpuSums[0], roundCpuSums[2]));

        Map<TrainVariant, Double> shift = new EnumMap<>(TrainVariant.class);
        shift.put(TrainVariant.LEARNED, maxAbsDiff(anchorsBefore[0], logAnchors(netA, learned)));
        shift.put(TrainVariant.FIXED, maxAbsDiff(anchorsBefore[1], logAnchors(netB, fixed)));

        List<TrainBenchResult.InferenceTiming> inference = new ArrayList<>();
        INDArray images = batchesA.get(0).getFeatures();
        for (int n : s.batch() == 1 ? new int[] {1} : new int[] {1, s.batch()}) {
            progress.accept("inference at batch " + n + "...");
            inference.add(inference(contenders, images.get(NDArrayIndex.interval(0, n)).dup(), s.inferenceRuns()));
        }
        return new TrainBenchResult(s, numClasses, learned.gridSize(), scenes.name(), train, trainCpu, paired, inference, shift,
                runtime, (System.nanoTime() - wall0) / 1e9);
    }

    private static TrainBenchResult.InferenceTiming inference(List<Contender> contenders, INDArray x, int runs) {
        int n = (int) x.size(0);
        for (int w = 0; w < INFERENCE_WARMUP; w++) {
            for (Contender c : contenders) {
                c.net().outputSingle(false, x);
            }
        }
        RoundRobinPlan plan = new RoundRobinPlan(runs, runs, contenders.size());
        double[][] ms = new double[contenders.size()][runs];
        for (int r = 0; r < runs; r++) {
            for (int v : plan.order(r)) {
                long t0 = System.nanoTime();
                contenders.get(v).net().outputSingle(false, x);
                ms[v][r] = (System.nanoTime() - t0) / 1e6 / n;
            }
        }
        Map<TrainVariant, StepStats> perImage = new EnumMap<>(TrainVariant.class);
        for (int v = 0; v < contenders.size(); v++) {
            perImage.put(contenders.get(v).variant(), StepStats.of(ms[v]));
        }
        return new TrainBenchResult.InferenceTiming(n, perImage);
    }

    /** Median over rounds of {@code num[r] / den[r]}. */
    static double pairedRatio(double[] num, double[] den) {
        double[] q = new double[num.length];
        for (int r = 0; r < q.length; r++) {
            q[r] = num[r] / den[r];
        }
        return StepStats.of(q).median();
    }

    private static double[] logAnchors(ComputationGraph net, DetectorConfig config) {
        AnchorSet a = DetectorGraph.anchors(net, config);
        double[] w = a.logWidths();
        double[] h = a.logHeights();
        double[] both = Arrays.copyOf(w, w.length + h.length);
        System.arraycopy(h, 0, both, w.length, h.length);
        return both;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static TrainingSample sample(SampleSource source, long index) {
        try {
            return source.sample(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a synthetic source renders in memory and never throws
        }
    }
}
