package dev.abo.detector.bench;

import java.util.List;
import java.util.Map;

import dev.abo.detector.Nd4jSetup;

/**
 * What {@link TrainBenchmark} measured.
 *
 * @param settings          what was run
 * @param numClasses        C of the synthetic data
 * @param gridSize          S, grid cells a side
 * @param dataset           name of the scene generator
 * @param train             per variant, wall-clock ms per training step ({@code net.fit} of one batch)
 * @param trainCpu          per variant, CPU ms of the calling thread per training step: robust to other processes
 *                          taking the core, complete only with {@code OMP_NUM_THREADS=1}
 * @param pairedRatios      per compared pair (wall and CPU), the median over rounds of (sum of the first variant's step times
 *                          in the round / the second's): insensitive to slow drifts of machine speed
 * @param inference         ms per image at each batch size
 * @param anchorShift       per variant with anchor parameters, the largest |change| of a log-anchor over the run
 *                          (shows (a) really trains its anchors and (b) keeps them)
 * @param runtime           the ND4J/DL4J runtime of this JVM
 * @param wallSeconds       the whole run, set-up included
 */
public record TrainBenchResult(TrainBenchmark.Settings settings, int numClasses, int gridSize, String dataset,
                               Map<TrainVariant, StepStats> train, Map<TrainVariant, StepStats> trainCpu,
                               Map<String, Double> pairedRatios,
                               List<InferenceTiming> inference, Map<TrainVariant, Double> anchorShift,
                               Nd4jSetup.RuntimeReport runtime, double wallSeconds) {

    /** Key of {@link #pairedRatios} for (a)/(b). */
    public static final String LEARNED_OVER_FIXED = "a/b";
    /** Key of {@link #pairedRatios} for (a)/(c). */
    public static final String LEARNED_OVER_YOLO2 = "a/c";
    /** Key of {@link #pairedRatios} for (a)/(b) in thread CPU time. */
    public static final String LEARNED_OVER_FIXED_CPU = "a/b cpu";
    /** Key of {@link #pairedRatios} for (a)/(c) in thread CPU time. */
    public static final String LEARNED_OVER_YOLO2_CPU = "a/c cpu";

    public TrainBenchResult {
        train = Map.copyOf(train);
        trainCpu = Map.copyOf(trainCpu);
        pairedRatios = Map.copyOf(pairedRatios);
        inference = List.copyOf(inference);
        anchorShift = Map.copyOf(anchorShift);
    }

    /** Median ms/step of (a) over (b); the paper's learnable anchors pay 0.8154 / 0.8027 = 1.016. */
    public double learnedOverFixed() {
        return train.get(TrainVariant.LEARNED).medianRatioTo(train.get(TrainVariant.FIXED));
    }

    /** Median CPU ms/step of (a) over (b). */
    public double learnedOverFixedCpu() {
        return trainCpu.get(TrainVariant.LEARNED).medianRatioTo(trainCpu.get(TrainVariant.FIXED));
    }

    /** Median CPU ms/step of (a) over (c). */
    public double learnedOverYolo2Cpu() {
        return trainCpu.get(TrainVariant.LEARNED).medianRatioTo(trainCpu.get(TrainVariant.DL4J_YOLO2));
    }

    /** Median ms/step of (a) over (c). */
    public double learnedOverYolo2() {
        return train.get(TrainVariant.LEARNED).medianRatioTo(train.get(TrainVariant.DL4J_YOLO2));
    }

    /**
     * Inference time per image of each variant at one batch size.
     *
     * @param batch        images per {@code output} call
     * @param msPerImage   per variant, the timings of the calls divided by {@code batch}
     */
    public record InferenceTiming(int batch, Map<TrainVariant, StepStats> msPerImage) {
        public InferenceTiming {
            msPerImage = Map.copyOf(msPerImage);
        }

        /** Median ms/image of (a) over (b): the same graph at inference, so about 1. */
        public double learnedOverFixed() {
            return msPerImage.get(TrainVariant.LEARNED).medianRatioTo(msPerImage.get(TrainVariant.FIXED));
        }
    }
}
