package dev.abo.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import dev.abo.cli.plot.AnchorPlot;
import dev.abo.cli.plot.ShapeDensity;
import dev.abo.cli.plot.TrainingCurves;
import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.detector.train.LearningRatePolicy;
import dev.abo.detector.train.ProgressPrinter;
import dev.abo.detector.train.RunArtifacts;
import dev.abo.detector.train.Trainer;
import dev.abo.detector.train.TrainingConfig;
import dev.abo.detector.train.TrainingMetrics;
import dev.abo.detector.train.TrainingReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo train}: trains the detector with learnable (or fixed) anchors on a dataset or a synthetic
 * stream and writes the checkpoint, metrics, anchor trajectory, history and plots into {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Train the YOLOv2-style detector with learnable anchors (paper Sec. 3) on a dataset or a synthetic stream.",
            "Images are stretched to NxN with YOLOv2's augmentation. Files datasets are split into training and",
            "held-out images by a hash of the image id; synthetic held-out scenes start at index 1e9.",
            "Progress goes to stderr; --out receives model.zip, metrics.json, anchors.csv, history.csv,",
            "loss.png, ap50.png and anchors.png (box density in log w / log h with initial, learned and k-means anchors)."})
final class TrainCommand implements Callable<Integer> {
    static final int NUM_ANCHORS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "SPEC",
            description = "voc:DIR[:SPLIT] | coco:FILE.json | idl:FILE[:WxH] | synthetic:heads | synthetic:mixed")
    String dataset;

    @Option(names = "--input-size", defaultValue = "96", paramLabel = "N",
            description = "network input side in px, a multiple of the stride (default ${DEFAULT-VALUE}; synthetic:heads needs >= 128)")
    int inputSize;

    @Option(names = "--steps", defaultValue = "600", description = "SGD steps (default ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--batch", defaultValue = "16", description = "images per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--init", defaultValue = "kmeans", paramLabel = "NAME",
            description = "initial anchors: kmeans | uniform | identical | voc | coco (default ${DEFAULT-VALUE}); fixed tables are in units of the detector's stride")
    String init;

    @Option(names = "--anchors", defaultValue = "learn", paramLabel = "learn|fixed", description = "learn the anchors (the paper) or keep them fixed (baseline) (default ${DEFAULT-VALUE})")
    String anchorMode;

    @Option(names = "--no-soft", description = "no soft-assignment warm-up (paper Sec. 3.2.1)")
    boolean noSoft;

    @Option(names = "--no-clust", description = "no online-clustering warm-up (paper Sec. 3.2.2)")
    boolean noClust;

    @Option(names = "--no-bn", description = "no batch normalisation without shift on t_w, t_h (paper Sec. 3.2.3)")
    boolean noBn;

    @Option(names = "--warmup", paramLabel = "STEPS", description = "anchor warm-up steps (default 20% of --steps; the paper: 1500 of 30000)")
    Long warmup;

    @Option(names = "--lambda-after", defaultValue = "1", description = "clustering weight kept after the warm-up, in [0, 1] (default ${DEFAULT-VALUE}; the paper: 0)")
    double lambdaAfter;

    @Option(names = "--lr", defaultValue = "1e-3", description = "network Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--anchor-lr", defaultValue = "2e-2", description = "anchor Adam learning rate (default ${DEFAULT-VALUE})")
    double anchorLr;

    // values are the LearningRatePolicy names in lower case (abo bench paper maps the default back with valueOf)
    @Option(names = "--lr-policy", defaultValue = "late_drop", paramLabel = "late_drop|step|constant",
            description = {"late_drop: linear burn-in from 0.1x over 5%% of --steps, 1x, 0.1x from 85%%;",
                "step: the paper's VOC schedule scaled to --steps (burn-in 0.1x, 1x, 0.1x from 50%%, 0.01x from 90%%);",
                "constant (default ${DEFAULT-VALUE})"})
    String lrPolicy;

    @Option(names = "--objectness", defaultValue = "iou", paramLabel = "iou|one",
            description = "target of an assigned anchor's objectness: iou (YOLOv2 rescore) or one (default ${DEFAULT-VALUE})")
    String objectness;

    @Option(names = "--obj-scale", defaultValue = "5", description = "weight of the objectness term of assigned anchors (default ${DEFAULT-VALUE}, YOLOv2)")
    double objScale;

    @Option(names = "--noobj-scale", defaultValue = "1", description = "weight of the no-object term (default ${DEFAULT-VALUE}, YOLOv2)")
    double noObjScale;

    @Option(names = "--backbone", defaultValue = "16,32,64,128,128", split = ",", paramLabel = "C,C,...",
            description = "output channels of the backbone blocks; stride = 2^(blocks-1) (default ${DEFAULT-VALUE})")
    List<Integer> backbone;

    @Option(names = "--eval-every", paramLabel = "K", description = "held-out evaluation every K steps (default --steps / 5)")
    Long evalEvery;

    @Option(names = "--eval-images", defaultValue = "200", description = "held-out images per evaluation (default ${DEFAULT-VALUE})")
    int evalImages;

    @Option(names = "--heldout-fraction", defaultValue = "0.1", description = "share of a file dataset's images held out (default ${DEFAULT-VALUE})")
    double heldOutFraction;

    @Option(names = "--seed", defaultValue = "1", description = "seed of data order, augmentation, weights and k-means (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--resume", paramLabel = "CKPT",
            description = "continue the run whose checkpoint (model.zip, with Adam state) this is, from its stored step, with the"
                    + " same options as the run that wrote it (checked against the checkpoint's network configuration):"
                    + " the result is identical to an uninterrupted run; --out then covers the resumed steps only")
    Path resume;

    @Option(names = "--stop-after", paramLabel = "STEP",
            description = "stop after this many steps of the --steps run (warm-up, learning rates and evaluations stay those of --steps); resume later with --resume")
    Long stopAfter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--json", description = "print the metrics as one JSON object on stdout (and nothing else)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        validate();
        // DL4J/ND4J code may print to System.out (SameDiff: about 100 "Added differentiated op" lines per gradient
        // function, nothing a user needs): discard System.out for the whole run, so stdout holds
        // only our output and stderr only progress (warnings still reach stderr through slf4j)
        PrintStream savedOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        TrainingMetrics metrics;
        try {
            metrics = train(stderr);
        } finally {
            System.setOut(savedOut);
        }
        if (json) {
            stdout.println(RunArtifacts.toJson(metrics));
            stdout.flush();
        }
        return 0;
    }

    private void validate() {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("--input-size must be positive, got " + inputSize);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (stopAfter != null && (stopAfter < 1 || stopAfter > steps)) {
            throw new IllegalArgumentException("--stop-after must be in [1, --steps=" + steps + "], got " + stopAfter);
        }
        if (!"learn".equals(anchorMode) && !"fixed".equals(anchorMode)) {
            throw new IllegalArgumentException("--anchors must be learn or fixed, got '" + anchorMode + "'");
        }
        policy();
        AnchorInit.parse(init);
    }

    TrainingData data() throws IOException {
        return TrainingData.prepare(dataset, inputSize, heldOutFraction, seed);
    }

    private LearningRatePolicy policy() {
        return switch (lrPolicy) {
            case "step" -> LearningRatePolicy.STEP;
            case "constant" -> LearningRatePolicy.CONSTANT;
            case "late_drop", "late-drop" -> LearningRatePolicy.LATE_DROP;
            default -> throw new IllegalArgumentException("--lr-policy must be late_drop, step or constant, got '" + lrPolicy + "'");
        };
    }

    private DetectorConfig detectorConfig(int classes) {
        DetectorConfig d = DetectorConfig.defaults(inputSize, classes).withBackbone(backbone)
                .withAnchors(NUM_ANCHORS, "fixed".equals(anchorMode) ? DetectorConfig.AnchorMode.FIXED : DetectorConfig.AnchorMode.LEARNED)
                .withTechniques(!noSoft, !noClust, !noBn)
                .withLearningRates(lr, anchorLr);
        DetectorConfig.ObjectnessTarget target = switch (objectness) {
            case "iou" -> DetectorConfig.ObjectnessTarget.IOU;
            case "one" -> DetectorConfig.ObjectnessTarget.ONE;
            default -> throw new IllegalArgumentException("--objectness must be iou or one, got '" + objectness + "'");
        };
        return new DetectorConfig(d.inputSize(), d.backboneChannels(), d.numAnchors(), d.numClasses(), d.lambdaCoord(),
                objScale, noObjScale, d.lambdaClass(), d.ignoreThreshold(), target,
                d.networkLearningRate(), d.anchorLearningRate(), d.anchorMode(), d.softWarmup(), d.clusteringWarmup(),
                d.bnWithoutShift(), d.precision(), seed);
    }

    private TrainingMetrics train(PrintWriter err) throws IOException {
        long t0 = System.nanoTime();
        long stop = stopAfter != null ? stopAfter : steps;
        if (resume != null) {
            long at = Checkpoint.readMeta(resume).step();
            if (at >= stop) {
                throw new IllegalArgumentException("--resume " + resume + " is at step " + at
                        + ", nothing left to do up to step " + stop + " (raise --steps or --stop-after)");
            }
        }
        TrainingData data = data();
        if (data.widths().length < NUM_ANCHORS) {
            throw new IllegalArgumentException("dataset " + dataset + " has " + data.widths().length
                    + " usable training boxes; k-means needs at least " + NUM_ANCHORS);
        }
        DetectorConfig d = detectorConfig(data.classNames().size());
        long warm = warmup != null ? warmup : Math.round(0.2 * steps);
        long every = evalEvery != null ? evalEvery : Math.max(1, steps / 5);
        TrainingConfig config = new TrainingConfig(d, steps, batch, warm, lambdaAfter, every, evalImages, seed,
                policy());
        AnchorSet kmeans = new AnchorKMeans().fit(data.widths(), data.heights(), NUM_ANCHORS, 3, new SplittableRandom(seed))
                .anchors(inputSize, inputSize);
        AnchorSet initial = TrainingData.initialAnchors(AnchorInit.parse(init), inputSize, d.stride(), kmeans);

        HeldOutEvaluation heldOut = HeldOutEvaluation.of(data.heldOut(), evalImages);
        Trainer trainer = new Trainer(config, data.train(), heldOut);
        ComputationGraph net;
        long start;
        if (resume != null) {
            Checkpoint.Loaded loaded = Checkpoint.read(resume, true);
            if (!loaded.config().equals(d)) {
                throw new IllegalArgumentException("--resume " + resume + " was trained with a different network configuration "
                        + loaded.config() + "; these options give " + d + ": resume with the options of the run that wrote it");
            }
            net = loaded.net();
            start = loaded.step();
            initial = loaded.anchors();
        } else {
            net = trainer.newNetwork(initial);
            start = 0;
        }
        err.printf(Locale.ROOT, "train %s at %dx%d: %d classes, %d steps x %d, backbone %s (stride %d), anchors %s from %s%s%n",
                dataset, inputSize, inputSize, d.numClasses(), steps, batch, backbone, d.stride(),
                "fixed".equals(anchorMode) ? "fixed" : "learned", init,
                resume != null ? ", resumed at step " + start + " from " + resume : "");
        err.printf(Locale.ROOT, "      %d held-out images, %d training boxes for k-means; set-up %.1f s%n", heldOut.size(),
                data.widths().length, (System.nanoTime() - t0) / 1e9);
        err.flush();
        ProgressPrinter progress = new ProgressPrinter(line -> {
            err.println(line);
            err.flush();
        }, steps, Math.max(1, steps / 20), 10);
        TrainingReport report = trainer.run(net, start, stop, progress);

        TrainingMetrics metrics = RunArtifacts.write(out, net, report, data.classNames());
        TrainingCurves.writeLossPng(out.resolve("loss.png"), report.steps(), 900, 500);
        TrainingCurves.writeAp50Png(out.resolve("ap50.png"), report.evals(), 900, 500);
        AnchorSet learned = AnchorPx.toSet(metrics.anchors(), inputSize);
        ShapeDensity density = ShapeDensity.estimate(data.widths(), data.heights(), 90, 1.2);
        new AnchorPlot(data.name() + " training boxes at " + inputSize + "x" + inputSize + " (" + data.widths().length + ")", density)
                .withAnchors(resume != null ? "at step " + report.startStep() + " (resumed)" : "initial (" + init + ")", initial)
                .withAnchors("learned after " + report.endStep() + " steps", learned)
                .withAnchors("k-means", kmeans)
                .writePng(out.resolve("anchors.png"), 900, 820);

        err.printf(Locale.ROOT, "done  AP50 %.4f (held-out, %d images), %.2f steps/s, data wait %.0f%%, eval %.1f s%n",
                metrics.finalAp50(), heldOut.size(), metrics.stepsPerSecond(), 100 * metrics.dataWaitFraction(),
                metrics.evalSeconds());
        err.printf(Locale.ROOT, "      anchors (w,h px; held-out avg IoU): initial %s (%.3f)%n", AnchorText.format(initial.shapes()),
                heldOut.anchorIou(initial));
        err.printf(Locale.ROOT, "                                        learned %s (%.3f)%n", AnchorText.format(learned.shapes()),
                heldOut.anchorIou(learned));
        err.printf(Locale.ROOT, "                                        k-means %s (%.3f)%n", AnchorText.format(kmeans.shapes()),
                heldOut.anchorIou(kmeans));
        err.printf(Locale.ROOT, "      wrote %s/{%s,%s,%s,%s,loss.png,ap50.png,anchors.png}%n", out, RunArtifacts.MODEL,
                RunArtifacts.METRICS, RunArtifacts.ANCHORS, RunArtifacts.HISTORY);
        err.flush();
        return metrics;
    }
}
