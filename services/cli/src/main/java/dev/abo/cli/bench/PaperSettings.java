package dev.abo.cli.bench;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code abo bench paper} runs: datasets, rows, seeds and the few training settings it chooses
 * itself (input size per dataset, steps, batch, backbone, held-out images); every other hyperparameter is
 * {@code abo train}'s default ({@link TrainDefaults}).
 *
 * @param inputSizes network input side in px of each dataset, in the order of {@code datasets}
 */
record PaperSettings(List<String> datasets, List<PaperRow> rows, List<Long> seeds, List<Integer> inputSizes, long steps,
                     int batch, List<Integer> backbone, int evalImages, boolean quick, TrainDefaults train) {

    PaperSettings {
        datasets = List.copyOf(datasets);
        inputSizes = List.copyOf(inputSizes);
        if (inputSizes.size() != datasets.size()) {
            throw new IllegalArgumentException(datasets.size() + " datasets but " + inputSizes.size() + " input sizes");
        }
        rows = List.copyOf(rows);
        seeds = List.copyOf(seeds);
        backbone = List.copyOf(backbone);
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("no dataset to run on");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no row to run");
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("--seeds must be >= 1");
        }
        if (steps < 1 || batch < 1 || evalImages < 1 || inputSizes.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("steps, batch, eval images and input sizes must be >= 1, got " + steps + ", "
                    + batch + ", " + evalImages + ", " + inputSizes);
        }
    }

    /** The input side in px of {@code dataset} (one of {@link #datasets}). */
    int inputSize(String dataset) {
        int i = datasets.indexOf(dataset);
        if (i < 0) {
            throw new IllegalArgumentException("not a dataset of this bench: " + dataset);
        }
        return inputSizes.get(i);
    }

    /** A, the anchors per cell of {@code abo train}'s detector (the paper: 5). */
    int numAnchors() {
        return DetectorConfig.defaults(inputSizes.get(0), 1).numAnchors();
    }

    /** The detector of a row's run on {@code dataset}: {@code abo train}'s, with the row's anchor mode and techniques. */
    DetectorConfig detectorConfig(String dataset, PaperRow.Run run, int numClasses, long seed) {
        DetectorConfig base = DetectorConfig.defaults(inputSize(dataset), numClasses);
        DetectorConfig d = base.withBackbone(backbone)
                .withAnchors(base.numAnchors(), run.mode())
                .withTechniques(run.soft(), run.clust(), run.bn())
                .withLearningRates(train.networkLr(), train.anchorLr());
        return new DetectorConfig(d.inputSize(), d.backboneChannels(), d.numAnchors(), d.numClasses(), d.lambdaCoord(),
                d.lambdaObj(), d.lambdaNoObj(), d.lambdaClass(), d.ignoreThreshold(), d.objectnessTarget(),
                d.networkLearningRate(), d.anchorLearningRate(), d.anchorMode(), d.softWarmup(), d.clusteringWarmup(),
                d.bnWithoutShift(), d.precision(), seed);
    }

    /**
     * The training run of a row: {@code abo train}'s defaults (warm-up share from {@link TrainingConfig#defaults},
     * the rest from {@link TrainDefaults}) with one held-out evaluation after the last step.
     */
    TrainingConfig trainingConfig(String dataset, PaperRow.Run run, int numClasses, long seed) {
        DetectorConfig d = detectorConfig(dataset, run, numClasses, seed);
        long warmup = TrainingConfig.defaults(d, steps, batch).warmupSteps();
        return new TrainingConfig(d, steps, batch, warmup, train.lambdaAfter(), steps, evalImages, seed, train.lrPolicy());
    }

    /** The {@code abo train} command line that trains exactly this row's run (the bench writes no model). */
    String trainCommand(String dataset, PaperRow.Run run, long seed) {
        List<String> a = new ArrayList<>(List.of("abo", "train", "--dataset", dataset, "--input-size", Integer.toString(inputSize(dataset)),
                "--steps", Long.toString(steps), "--batch", Integer.toString(batch), "--eval-every", Long.toString(steps),
                "--eval-images", Integer.toString(evalImages)));
        if (!backbone.equals(train.backbone())) {
            a.addAll(List.of("--backbone", backbone.stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        a.addAll(List.of("--init", run.init().cliName(), "--anchors", run.mode() == DetectorConfig.AnchorMode.FIXED ? "fixed" : "learn"));
        if (!run.soft()) {
            a.add("--no-soft");
        }
        if (!run.clust()) {
            a.add("--no-clust");
        }
        if (!run.bn()) {
            a.add("--no-bn");
        }
        a.addAll(List.of("--seed", Long.toString(seed), "--out", "DIR"));
        return String.join(" ", a);
    }

    /** The distinct runs the selected rows need on a dataset, in row order. */
    List<PaperRow.Run> runs(AnchorInit ablationInit) {
        List<PaperRow.Run> runs = new ArrayList<>();
        for (PaperRow r : rows) {
            PaperRow.Run run = r.run(ablationInit);
            if (!runs.contains(run)) {
                runs.add(run);
            }
        }
        return runs;
    }
}
