package dev.abo.cli.bench;

import dev.abo.cli.JsonOutput;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.detector.train.RunArtifacts;
import dev.abo.detector.train.Trainer;
import dev.abo.detector.train.TrainingConfig;
import dev.abo.detector.train.TrainingMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo bench paper}: the paper's Tables 1/5 (Baseline vs Opt per anchor initialisation) and 6 (the
 * ablation of the three training techniques) at CPU scale, on the Brainwash stand-in {@code synthetic:heads}
 * and the bundled VOC2007 train split, with the paper's numbers alongside for orientation.
 */
@Command(name = "paper", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "The paper's tables at CPU scale: Baseline(coco|uniform|kmeans) with FIXED anchors and none of the three "
                + "techniques, Opt(identical|uniform|kmeans) with LEARNED anchors and all three (Tables 1, 5), and the "
                + "Table 6 ablation (Baseline, Opt, Opt+Soft, Opt+Soft+Clust, Opt+Soft+Clust+BN; init k-means on VOC and "
                + "uniform on Brainwash/synthetic:heads, as the paper's Table 6 numbers show).",
            "Every row is an ordinary `abo train` run with that command's defaults (paper.md lists the exact commands). "
                + "All rows of a dataset use the same data, held-out images and seeds; runs alternate between datasets "
                + "(and odd seeds reverse the row order) to spread machine noise.",
            "Per row: held-out AP50 (mean, and spread over --seeds), the difference to its baseline (and the paper's), "
                + "final anchors (px, sorted by area as in Table 4), their avg IoU with the held-out boxes, steps/s. "
                + "--out receives paper.md, paper.json, ap50-<dataset>.png, anchors-<dataset>.png and runs/<dataset>/*.json.",
            "Full run (default): " + PaperBench.FULL_INPUT + " px, " + PaperBench.FULL_STEPS + " steps of abo train's batch, "
                + "every row, 1 seed: 18 distinct runs on the two default datasets, about " + PaperBench.FULL_HOURS
                + " hours on 2 quiet cores (longer under load).",
            "--quick: " + PaperBench.QUICK_INPUT + " px (Brainwash-like heads: " + PaperBench.QUICK_HEADS_INPUT + " px), "
                + PaperBench.QUICK_STEPS + " steps of " + PaperBench.QUICK_BATCH + " images, rows " + PaperBench.QUICK_ROWS
                + " (the first five of Table 1/5 and the Table 6 rows that separate learning the anchors from the three "
                + "techniques), 1 seed: " + PaperBench.QUICK_RUNS + " runs on the two default datasets, "
                + PaperBench.QUICK_MINUTES + " on 2 cores. Far from converged: single-seed differences of a point are noise."})
public final class PaperBench implements Callable<Integer> {
    static final int FULL_INPUT = 128;
    static final long FULL_STEPS = 600;
    static final String FULL_HOURS = "2.5-3";
    static final int QUICK_INPUT = 96;
    /**
     * synthetic:heads (and Brainwash files) in --quick: its 10-40 px heads at 320x240 are 3-12 px wide at 96 px;
     * measured (abo train, 300 steps of 16): held-out AP50 0.086 at 96 px, 0.259 at 128 px.
     */
    static final int QUICK_HEADS_INPUT = 128;
    static final long QUICK_STEPS = 300;
    static final int QUICK_BATCH = 16;
    static final String QUICK_ROWS = "baseline-uniform,baseline-kmeans,opt-uniform,opt-kmeans,opt-identical,"
            + "ablation-baseline,ablation-opt,ablation-soft-clust,ablation-soft-clust-bn";
    static final String QUICK_RUNS = "14";
    static final String QUICK_MINUTES = "about 40 minutes (42 at load average 6)";
    static final String DEFAULT_VOC_DIR = "voc2007-train";

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "the short run described above")
    boolean quick;

    @Option(names = "--dataset", paramLabel = "SPEC",
            description = "repeatable: synthetic:heads | voc:DIR[:SPLIT] | coco:FILE.json | idl:FILE[:WxH] | synthetic:mixed"
                    + " (default synthetic:heads and the bundled voc2007-train:train, found in shared/data of this or a parent"
                    + " directory, or of -Dabo.shared.dir)")
    List<String> datasets;

    @Option(names = "--steps", paramLabel = "N", description = "SGD steps per run (default " + FULL_STEPS + ", --quick " + QUICK_STEPS + ")")
    Long steps;

    @Option(names = "--input-size", paramLabel = "N", description = "network input side in px of every dataset (default " + FULL_INPUT + "; --quick "
            + QUICK_INPUT + ", synthetic:heads and idl: " + QUICK_HEADS_INPUT + ")")
    Integer inputSize;

    @Option(names = "--batch", paramLabel = "N", description = "images per step (default abo train's, --quick " + QUICK_BATCH + ")")
    Integer batch;

    @Option(names = "--backbone", split = ",", paramLabel = "C,C,...", description = "backbone channels (default abo train's)")
    List<Integer> backbone;

    @Option(names = "--eval-images", paramLabel = "N", description = "held-out images per dataset (default abo train's)")
    Integer evalImages;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "K", description = "seeds per row, --seed .. --seed+K-1 (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "first seed (default ${DEFAULT-VALUE})")
    long firstSeed;

    @Option(names = "--rows", paramLabel = "ID,ID,...",
            description = "only these rows: baseline-coco, baseline-uniform, baseline-kmeans, opt-identical, opt-uniform, opt-kmeans,"
                    + " ablation-baseline, ablation-opt, ablation-soft, ablation-soft-clust, ablation-soft-clust-bn (default all; --quick: "
                    + QUICK_ROWS + ")")
    String rows;

    @Option(names = "--out", defaultValue = "out/bench-paper", paramLabel = "DIR", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--json", description = "print one JSON object with everything on stdout (and nothing else)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PaperSettings settings = settings();
        // DL4J prints op-registration chatter to System.out: keep stdout for the tables / the JSON (as abo train)
        PrintStream savedOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Map<String, Object> result;
        String markdown;
        try {
            double loadStart = loadAverage();
            BenchProgress progress = new BenchProgress(stderr, totalSteps(settings));
            List<DatasetResult> results = run(settings, progress);
            double wall = progress.elapsedSeconds();
            double loadEnd = loadAverage();
            result = json(settings, results, wall, loadStart, loadEnd);
            markdown = PaperTables.document(settings, results, commandLine(), wall, loadStart, loadEnd);
            Files.writeString(out.resolve("paper.md"), markdown);
            Files.writeString(out.resolve("paper.json"), jsonText(result));
            progress.line(String.format(Locale.ROOT, "paper done in %s (load average %.1f at the start, %.1f at the end); wrote %s/{paper.md,paper.json,ap50-*.png,anchors-*.png,runs/}",
                    BenchProgress.minutes(Math.round(wall)), loadStart, loadEnd, out));
        } finally {
            System.setOut(savedOut);
        }
        if (json) {
            JsonOutput.print(stdout, result);
        } else {
            stdout.print(markdown);
            stdout.flush();
        }
        return 0;
    }

    PaperSettings settings() {
        TrainDefaults t = TrainDefaults.fromTrainCommand();
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        List<String> ds = datasets == null || datasets.isEmpty() ? List.of("synthetic:heads", bundledVoc()) : datasets;
        for (String d : ds) {
            if (ds.indexOf(d) != ds.lastIndexOf(d)) {
                throw new IllegalArgumentException("--dataset " + d + " given twice");
            }
        }
        List<PaperRow> selected = rows != null ? PaperRow.parseList(rows)
                : quick ? PaperRow.parseList(QUICK_ROWS) : Arrays.asList(PaperRow.values());
        List<Long> seedList = LongStream.range(firstSeed, firstSeed + seeds).boxed().toList();
        return new PaperSettings(ds, selected, seedList,
                ds.stream().map(d -> inputSize != null ? inputSize : !quick ? FULL_INPUT
                        : PaperReference.forDataset(d) == PaperReference.BRAINWASH ? QUICK_HEADS_INPUT : QUICK_INPUT).toList(),
                steps != null ? steps : quick ? QUICK_STEPS : FULL_STEPS,
                batch != null ? batch : quick ? QUICK_BATCH : t.batch(),
                backbone != null ? backbone : t.backbone(),
                evalImages != null ? evalImages : t.evalImages(), quick, t);
    }

    /** {@code voc:<shared>/data/voc2007-train:train}, the shared folder found as described in --dataset. */
    static String bundledVoc() {
        String configured = System.getProperty("abo.shared.dir");
        if (configured != null) {
            return "voc:" + Path.of(configured, "data", DEFAULT_VOC_DIR) + ":train";
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path voc = dir.resolve("shared").resolve("data").resolve(DEFAULT_VOC_DIR);
            if (Files.isDirectory(voc)) {
                return "voc:" + voc + ":train";
            }
        }
        throw new IllegalArgumentException("the bundled " + DEFAULT_VOC_DIR + " is not in shared/data of this or any parent"
                + " directory; pass --dataset voc:DIR:train (or -Dabo.shared.dir)");
    }

    private static long totalSteps(PaperSettings s) {
        long runs = 0;
        for (String d : s.datasets()) {
            runs += s.runs(PaperReference.forDataset(d).ablationInit()).size();
        }
        return runs * s.seeds().size() * s.steps();
    }

    /** One training task: a run of a dataset on a seed. */
    private record Task(int dataset, PaperRow.Run run) {
    }

    /**
     * Trains every distinct run of every dataset for every seed: per seed the datasets' runs alternate
     * (heads, voc, heads, voc, ...), and odd seeds take the runs in reverse order, so that no row always
     * runs first or last.
     */
    private List<DatasetResult> run(PaperSettings s, BenchProgress progress) throws IOException {
        int n = s.datasets().size();
        List<PaperReference> papers = s.datasets().stream().map(PaperReference::forDataset).toList();
        List<Map<PaperRow.Run, List<RunOutcome>>> outcomes = new ArrayList<>();
        PaperData[] firstSeedData = new PaperData[n];
        for (int d = 0; d < n; d++) {
            outcomes.add(new LinkedHashMap<>());
        }
        long total = totalSteps(s) / s.steps();
        long done = 0;
        for (int si = 0; si < s.seeds().size(); si++) {
            long seed = s.seeds().get(si);
            PaperData[] data = new PaperData[n];
            List<List<PaperRow.Run>> runs = new ArrayList<>();
            for (int d = 0; d < n; d++) {
                long t0 = System.nanoTime();
                data[d] = PaperData.prepare(s.datasets().get(d), s.inputSize(s.datasets().get(d)), s.numAnchors(), s.train().heldOutFraction(),
                        s.evalImages(), seed);
                progress.line(String.format(Locale.ROOT, "paper  %s seed %d: %d held-out images, %d training boxes, k-means %s; set-up %.1f s",
                        s.datasets().get(d), seed, data[d].heldOut().size(), data[d].widths().length,
                        PaperTables.anchors(AnchorPx.of(data[d].kmeans())), (System.nanoTime() - t0) / 1e9));
                List<PaperRow.Run> r = new ArrayList<>(s.runs(papers.get(d).ablationInit()));
                if (si % 2 == 1) {
                    Collections.reverse(r);
                }
                runs.add(r);
                if (si == 0) {
                    firstSeedData[d] = data[d];
                }
            }
            List<Task> tasks = new ArrayList<>();
            int longest = runs.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < longest; i++) {
                for (int d = 0; d < n; d++) {
                    if (i < runs.get(d).size()) {
                        tasks.add(new Task(d, runs.get(d).get(i)));
                    }
                }
            }
            for (Task t : tasks) {
                done++;
                String label = String.format(Locale.ROOT, "[%d/%d] %s %s seed %d", done, total, s.datasets().get(t.dataset()),
                        rowLabels(s.rows(), papers.get(t.dataset()), t.run()), seed);
                RunOutcome o = train(s, data[t.dataset()], t.run(), seed, progress, label);
                outcomes.get(t.dataset()).computeIfAbsent(t.run(), k -> new ArrayList<>()).add(o);
                Path metricsFile = out.resolve("runs").resolve(slug(s.datasets(), t.dataset()))
                        .resolve(t.run().id() + "-seed" + seed + ".json");
                Files.createDirectories(metricsFile.getParent());
                RunArtifacts.writeMetrics(metricsFile, o.metrics());
            }
        }
        List<DatasetResult> results = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            PaperData first = firstSeedData[d];
            List<RowResult> rowResults = RowResult.of(s.rows(), papers.get(d), outcomes.get(d));
            DatasetResult r = new DatasetResult(s.datasets().get(d), slug(s.datasets(), d), s.inputSize(s.datasets().get(d)),
                    papers.get(d).description(),
                    papers.get(d).ablationInit().cliName(), first.heldOut().size(), first.widths().length,
                    AnchorPx.of(first.kmeans()), first.heldOut().anchorIou(first.kmeans()), rowResults,
                    DatasetResult.summarize(s.datasets().get(d), rowResults, s.seeds().size()));
            PaperCharts.writeAp50Bars(out.resolve("ap50-" + r.slug() + ".png"), r);
            PaperCharts.writeAnchorPlot(out.resolve("anchors-" + r.slug() + ".png"), r, first.widths(), first.heights(),
                    r.inputSize(), s.steps());
            results.add(r);
        }
        return results;
    }

    /** {@code Opt(uniform) = T6 Opt+Soft+Clust+BN}: the selected rows a run stands for. */
    private static String rowLabels(List<PaperRow> rows, PaperReference paper, PaperRow.Run run) {
        return rows.stream().filter(r -> r.run(paper.ablationInit()).equals(run))
                .map(r -> r.table() == PaperRow.Table.ABLATION ? "T6 " + r.label() : r.label())
                .collect(Collectors.joining(" = "));
    }

    private RunOutcome train(PaperSettings s, PaperData data, PaperRow.Run run, long seed, BenchProgress progress, String label) {
        TrainingConfig config = s.trainingConfig(data.spec(), run, data.classNames().size(), seed);
        AnchorSet initial = data.initialAnchors(run.init(), config.detector().inputSize(), config.detector().stride());
        HeldOutEvaluation heldOut = data.heldOut();
        Trainer trainer = new Trainer(config, data.train(), heldOut);
        ComputationGraph net = trainer.newNetwork(initial);
        progress.line(label + "  start: anchors " + PaperTables.anchors(AnchorPx.of(initial))
                + " (" + (config.detector().anchorMode() == DetectorConfig.AnchorMode.FIXED ? "fixed" : "learned")
                + "), soft " + run.soft() + ", clust " + run.clust() + ", bn " + run.bn());
        TrainingMetrics metrics = TrainingMetrics.of(trainer.run(net, 0, progress.forRun(label, s.steps())));
        progress.line(String.format(Locale.ROOT, "%s  done: AP50 %.2f%%, anchors %s (avg IoU %.3f), %.2f steps/s",
                label, 100 * metrics.finalAp50(), PaperTables.anchors(metrics.anchors()), metrics.finalAnchorIou(),
                metrics.stepsPerSecond()));
        return new RunOutcome(data.spec(), seed, run, metrics, heldOut.anchorIou(initial), s.trainCommand(data.spec(), run, seed));
    }

    /** Short file-name part of dataset {@code i}: {@code heads}, {@code voc-voc2007-train}, ... (unique). */
    static String slug(List<String> datasets, int i) {
        String spec = datasets.get(i);
        String s;
        if (spec.startsWith("synthetic:")) {
            s = spec.substring("synthetic:".length());
        } else {
            int colon = spec.indexOf(':');
            String kind = colon < 0 ? spec : spec.substring(0, colon);
            String rest = colon < 0 ? "" : spec.substring(colon + 1);
            int split = rest.lastIndexOf(':');
            String path = split > 0 && !rest.substring(split + 1).contains("/") ? rest.substring(0, split) : rest;
            Path name = Path.of(path).getFileName();
            s = kind + (name == null ? "" : "-" + name.toString().replaceFirst("\\.[A-Za-z]+$", ""));
        }
        s = s.replaceAll("[^A-Za-z0-9_-]+", "-");
        long same = datasets.subList(0, i).stream().filter(other -> other.equals(spec)).count();
        return same == 0 ? s : s + "-" + (i + 1);
    }

    private Map<String, Object> json(PaperSettings s, List<DatasetResult> results, double wall, double loadStart, double loadEnd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", commandLine());
        m.put("quick", s.quick());
        m.put("inputSizes", s.inputSizes());
        m.put("steps", s.steps());
        m.put("batch", s.batch());
        m.put("backbone", s.backbone());
        m.put("evalImages", s.evalImages());
        m.put("seeds", s.seeds());
        m.put("rows", s.rows().stream().map(PaperRow::id).toList());
        m.put("trainDefaults", s.train());
        m.put("wallSeconds", JsonOutput.round(wall, 1));
        m.put("loadAverageStart", loadStart);
        m.put("loadAverageEnd", loadEnd);
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("datasets", results);
        m.put("summary", results.stream().map(DatasetResult::summary).toList());
        return m;
    }

    private static String jsonText(Map<String, Object> m) {
        java.io.StringWriter w = new java.io.StringWriter();
        JsonOutput.print(new PrintWriter(w), m);
        return w.toString();
    }

    /** {@code abo bench paper ...} as typed. */
    private String commandLine() {
        return "abo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
