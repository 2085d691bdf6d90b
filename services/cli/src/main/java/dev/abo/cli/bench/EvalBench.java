package dev.abo.cli.bench;

import dev.abo.cli.JsonOutput;
import dev.abo.core.eval.CocoEvaluator;
import dev.abo.core.eval.CocoGroundTruthJson;
import dev.abo.core.eval.CocoResultsJson;
import dev.abo.core.eval.CocoStats;
import dev.abo.core.eval.SyntheticEvalSet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo bench eval}: COCO evaluation time on a generated set, optionally side by side with the
 * reference pycocotools on the very same files, with the two sets of 12 numbers compared.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Time the COCO evaluator on a generated set (default 5000 images x 100 detections x 80 classes).",
            "With --pycocotools PYTHONPATH (where an importable pycocotools package lives), the reference runs on the",
            "same JSON files in the same run and the ratio and the largest difference of the 12 stats are printed."})
public final class EvalBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "5000")
    int images;

    @Option(names = "--dets", defaultValue = "100", description = "detections per image (default ${DEFAULT-VALUE})")
    int dets;

    @Option(names = "--classes", defaultValue = "80")
    int classes;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--runs", defaultValue = "3", description = "timed runs after the cold one (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--pycocotools", paramLabel = "PYTHONPATH",
            description = "PYTHONPATH (folders joined by ':') under which pycocotools imports, to run the reference too")
    String pycocotools;

    @Option(names = "--python", defaultValue = "python3", description = "python interpreter with numpy (default ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    /** Our driver for the reference: loads both files, runs evaluate/accumulate/summarize, prints timing and stats. */
    private static final String DRIVER = String.join("\n",
            "import sys, time, json, io, contextlib",
            "from pycocotools.coco import COCO",
            "from pycocotools.cocoeval import COCOeval",
            "t0 = time.time()",
            "with contextlib.redirect_stdout(io.StringIO()):",
            "    gt = COCO(sys.argv[1]); dt = gt.loadRes(sys.argv[2])",
            "    t1 = time.time()",
            "    e = COCOeval(gt, dt, 'bbox'); e.evaluate(); e.accumulate(); e.summarize()",
            "t2 = time.time()",
            "print(json.dumps({'load_s': t1 - t0, 'eval_s': t2 - t1, 'stats': [float(x) for x in e.stats]}))");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "generating %d images x %d detections x %d classes (seed %d)...%n", images, dets, classes, seed);
        err.flush();
        SyntheticEvalSet set = SyntheticEvalSet.generate(images, dets, classes, seed);
        CocoEvaluator evaluator = new CocoEvaluator();
        CocoStats[] stats = new CocoStats[1];
        err.println("evaluating (Java)...");
        err.flush();
        Timing t = Timing.measure(runs, () -> stats[0] = evaluator.evaluate(set.dataset(), set.detections()));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images);
        m.put("detections_per_image", dets);
        m.put("classes", classes);
        m.put("java_cold_seconds", t.coldSeconds());
        m.put("java_warm_median_seconds", t.warmMedian());
        m.put("stats", stats[0].asArray());
        Map<String, Object> ref = pycocotools == null ? null : runReference(set, err);
        if (ref != null) {
            double refEval = ((Number) ref.get("eval_s")).doubleValue();
            m.put("pycocotools_eval_seconds", refEval);
            m.put("pycocotools_load_seconds", ref.get("load_s"));
            m.put("speedup_cold", refEval / t.coldSeconds());
            m.put("speedup_warm", refEval / t.warmMedian());
            m.put("max_abs_stat_difference", maxDiff(stats[0].asArray(), toArray(ref.get("stats"))));
        }
        if (json) {
            JsonOutput.print(out, m);
        } else {
            out.printf(Locale.ROOT, "COCO eval  %d images x %d dets x %d classes: Java cold %.3f s, warm median %.3f s (%d runs)%n",
                    images, dets, classes, t.coldSeconds(), t.warmMedian(), runs);
            if (ref != null) {
                out.printf(Locale.ROOT, "pycocotools evaluate+accumulate+summarize %.2f s (+ %.2f s loading JSON)%n",
                        m.get("pycocotools_eval_seconds"), ((Number) ref.get("load_s")).doubleValue());
                out.printf(Locale.ROOT, "speed-up   %.1fx cold, %.1fx warm; largest |difference| of the 12 stats: %.3g%n",
                        m.get("speedup_cold"), m.get("speedup_warm"), m.get("max_abs_stat_difference"));
            }
            out.println(stats[0]);
        }
        out.flush();
        return 0;
    }

    private Map<String, Object> runReference(SyntheticEvalSet set, PrintWriter err) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("abo-bench-eval");
        try {
            int[] categoryIds = new int[classes];
            for (int k = 0; k < classes; k++) {
                categoryIds[k] = k + 1;
            }
            Path gt = dir.resolve("gt.json");
            Path dt = dir.resolve("dt.json");
            try (OutputStream o = Files.newOutputStream(gt)) {
                CocoGroundTruthJson.write(set.dataset(), categoryIds, o);
            }
            try (OutputStream o = Files.newOutputStream(dt)) {
                CocoResultsJson.write(set.detections(), categoryIds, o);
            }
            err.println("evaluating (pycocotools, this takes a while)...");
            err.flush();
            ProcessBuilder pb = new ProcessBuilder(List.of(python, "-c", DRIVER, gt.toString(), dt.toString()));
            pb.environment().put("PYTHONPATH", pycocotools);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("pycocotools run failed (exit " + p.exitValue() + "): " + stdout);
            }
            String lastLine = stdout.substring(stdout.lastIndexOf('\n') + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(lastLine, Map.class);
            return parsed;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double[] toArray(Object list) {
        List<?> l = (List<?>) list;
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) l.get(i)).doubleValue();
        }
        return a;
    }

    private static double maxDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
