package dev.abo.cli;

import dev.abo.cli.plot.AnchorPlot;
import dev.abo.cli.plot.ShapeDensity;
import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.anchor.AnchorSetFormat;
import dev.abo.core.anchor.KMeansResult;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.DatasetSpec;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.data.ReadReport;
import dev.abo.core.data.SquareResize;
import dev.abo.core.geometry.Shape;
import dev.abo.core.stats.AnchorStatistics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code abo anchors}: anchors for a dataset (k-means or a fixed initialisation) or the statistics
 * of given anchors, over the boxes of every image stretched to the NxN network input.
 */
@Command(name = "anchors", mixinStandardHelpOptions = true,
        description = {
            "Compute anchors for a dataset (IoU k-means, or a fixed initialisation) or evaluate given anchors.",
            "Every image is stretched to NxN (boxes scaled with it, as YOLOv2's k-means does); VOC-difficult",
            "and COCO crowd objects are left out. Prints average best IoU, best possible recall (ratio rule,",
            "threshold 4) and per-anchor counts."})
final class AnchorsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "SPEC",
            description = "voc:DIR[:SPLIT] | coco:FILE.json | idl:FILE[:WxH]")
    String dataset;

    @Option(names = "--input-size", defaultValue = "416", paramLabel = "N", description = "network input side in px (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--k", defaultValue = "5", description = "number of anchors for kmeans (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--init", defaultValue = "kmeans", paramLabel = "NAME",
            description = "kmeans | uniform | identical | voc | coco (default ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--stride", defaultValue = "32", description = "input px per output cell, for the fixed initialisations (default ${DEFAULT-VALUE})")
    double stride;

    @Option(names = "--eval", paramLabel = "\"w,h w,h ...\"", description = "evaluate these anchors (input px) instead of computing them")
    String evalAnchors;

    @Option(names = "--restarts", defaultValue = "5", description = "k-means restarts, best kept (default ${DEFAULT-VALUE})")
    int restarts;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--lenient", description = "skip (and count) invalid boxes instead of failing")
    boolean lenient;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw the box density in the log w / log h plane with the anchors")
    Path plot;

    @Override
    public Integer call() throws Exception {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("--input-size must be positive, got " + inputSize);
        }
        long t0 = System.nanoTime();
        ReadReport report = DatasetSpec.parse(dataset).read(lenient ? ReadOptions.lenient() : ReadOptions.strict());
        Dataset resized = new SquareResize(inputSize).apply(report.dataset());
        ShapeSample sample = ShapeSample.of(resized);
        if (sample.size() == 0) {
            throw new IllegalArgumentException("dataset " + dataset + " has no usable boxes");
        }
        long t1 = System.nanoTime();

        String source;
        KMeansResult kmeans = null;
        AnchorSet anchors;
        if (evalAnchors != null) {
            anchors = AnchorSetFormat.parse(evalAnchors, inputSize, inputSize);
            source = "given";
        } else {
            AnchorInit how = AnchorInit.parse(init);
            source = how.cliName();
            if (how.needsData()) {
                kmeans = new AnchorKMeans().fit(sample.widths(), sample.heights(), k, restarts, new SplittableRandom(seed));
                anchors = kmeans.anchors(inputSize, inputSize);
            } else {
                anchors = how.anchors(inputSize, inputSize, stride);
            }
        }
        long t2 = System.nanoTime();
        AnchorStatistics stats = AnchorStatistics.of(sample.shapes(), anchors);

        if (plot != null) {
            ShapeDensity density = ShapeDensity.estimate(sample.widths(), sample.heights(), 90, 1.2);
            AnchorPlot chart = new AnchorPlot(report.dataset().name() + " boxes at " + inputSize + "x" + inputSize
                    + " (" + sample.size() + " boxes)", density).withAnchors(source + " anchors", anchors);
            if (!"uniform".equals(source)) {
                chart.withAnchors("uniform (reference)", AnchorInit.UNIFORM.anchors(inputSize, inputSize, stride));
            }
            chart.writePng(plot, 900, 820);
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, toJson(report, sample, source, anchors, stats, kmeans, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
        } else {
            printText(out, report, sample, source, anchors, stats, kmeans, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
        return 0;
    }

    private Map<String, Object> toJson(ReadReport report, ShapeSample sample, String source, AnchorSet anchors,
                                       AnchorStatistics stats, KMeansResult kmeans, double readS, double fitS) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("images", report.dataset().images().size());
        m.put("boxes", sample.size());
        m.put("excluded_difficult_or_crowd", sample.excluded());
        m.put("skipped_invalid", report.skippedCount());
        m.put("input_size", inputSize);
        m.put("anchors_source", source);
        List<double[]> a = new ArrayList<>();
        for (Shape s : anchors.shapes()) {
            a.add(new double[] {JsonOutput.round(s.w(), 3), JsonOutput.round(s.h(), 3)});
        }
        m.put("anchors", a);
        m.put("avg_iou", stats.averageBestIou());
        m.put("bpr", stats.bestPossibleRecall());
        m.put("anchors_per_target", stats.anchorsPerTarget());
        m.put("matched_per_anchor", stats.matchedPerAnchor());
        if (kmeans != null) {
            Map<String, Object> km = new LinkedHashMap<>();
            km.put("k", k);
            km.put("restarts", restarts);
            km.put("seed", seed);
            km.put("iterations", kmeans.iterations());
            km.put("converged", kmeans.converged());
            km.put("fit_seconds", fitS);
            m.put("kmeans", km);
        }
        m.put("read_seconds", readS);
        if (plot != null) {
            m.put("plot", plot.toString());
        }
        return m;
    }

    private void printText(PrintWriter out, ReadReport report, ShapeSample sample, String source, AnchorSet anchors,
                           AnchorStatistics stats, KMeansResult kmeans, double readS, double fitS) {
        out.printf(Locale.ROOT, "dataset   %s: %d images, %d boxes at %dx%d (%d difficult/crowd left out, %d invalid skipped), read in %.2f s%n",
                dataset, report.dataset().images().size(), sample.size(), inputSize, inputSize, sample.excluded(),
                report.skippedCount(), readS);
        if (kmeans != null) {
            out.printf(Locale.ROOT, "k-means   k=%d, %d restarts, seed %d: %d passes, %s, %.2f s%n", k, restarts, seed,
                    kmeans.iterations(), kmeans.converged() ? "converged" : "NOT converged", fitS);
        }
        out.printf(Locale.ROOT, "anchors   %s (w,h in input px): %s%n", source, AnchorText.format(anchors.shapes()));
        out.printf(Locale.ROOT, "avg IoU   %.4f   (mean over boxes of the best shape IoU)%n", stats.averageBestIou());
        out.printf(Locale.ROOT, "BPR       %.4f   (best possible recall, w/h ratio rule, threshold %.0f)%n",
                stats.bestPossibleRecall(), stats.ratioThreshold());
        out.printf(Locale.ROOT, "anch/tgt  %.3f%n", stats.anchorsPerTarget());
        out.println("per anchor:");
        out.println("    #        w        h   boxes   share");
        for (int i = 0; i < anchors.size(); i++) {
            Shape s = anchors.get(i);
            int n = stats.matchedPerAnchor().get(i);
            out.printf(Locale.ROOT, "  %3d %8.2f %8.2f %7d  %5.1f%%%n", i, s.w(), s.h(), n, 100.0 * n / sample.size());
        }
        if (plot != null) {
            out.println("plot      " + plot);
        }
        out.flush();
    }
}
