package dev.abo.cli;

import dev.abo.core.data.CocoDataset;
import dev.abo.core.data.CocoReader;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.detect.Detection;
import dev.abo.core.eval.CocoEvaluator;
import dev.abo.core.eval.CocoMetric;
import dev.abo.core.eval.CocoResultsJson;
import dev.abo.core.eval.CocoStats;
import dev.abo.core.eval.VocApMethod;
import dev.abo.core.eval.VocEvalConfig;
import dev.abo.core.eval.VocEvaluator;
import dev.abo.core.eval.VocResult;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code abo eval}: COCO or VOC evaluation of detections in the COCO results format. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Evaluate detections (COCO results format: [{image_id, category_id, bbox:[x,y,w,h], score}])",
            "against COCO instances ground truth, in the ground truth's own (declared) pixel coordinates.",
            "coco: the 12 standard numbers, equal to pycocotools'; voc07: VOC2007 11-point AP per class at",
            "IoU >= 0.5; voc: all-point (area) AP. Crowd regions count as VOC 'difficult' (ignored)."})
final class EvalCommand implements Callable<Integer> {

    enum Metric { coco, voc07, voc }

    @Spec
    CommandSpec spec;

    @Option(names = "--gt", required = true, paramLabel = "COCO_GT.json", description = "ground truth, COCO instances JSON")
    Path gt;

    @Option(names = "--dt", required = true, paramLabel = "COCO_RESULTS.json", description = "detections, COCO results JSON")
    Path dt;

    @Option(names = "--metric", defaultValue = "coco", description = "coco | voc07 | voc (default ${DEFAULT-VALUE})")
    Metric metric;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CocoDataset coco = new CocoReader(ReadOptions.strict().with(ReadOptions.Coordinates.DECLARED)).read(gt);
        Map<String, List<Detection>> detections;
        try (InputStream in = Files.newInputStream(dt)) {
            detections = CocoResultsJson.read(in, coco.categoryIds());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (metric == Metric.coco) {
            CocoStats stats = new CocoEvaluator().evaluate(coco.dataset(), detections);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stats", stats.asArray());
                List<String> names = new ArrayList<>();
                for (CocoMetric cm : CocoMetric.values()) {
                    names.add(cm.label());
                }
                m.put("names", names);
                JsonOutput.print(out, m);
            } else {
                out.println(stats);
            }
        } else {
            // the VOC evaluator ignores crowd regions as it does difficult objects
            VocApMethod method = metric == Metric.voc07 ? VocApMethod.ELEVEN_POINT_2007 : VocApMethod.ALL_POINT;
            VocResult result = new VocEvaluator(VocEvalConfig.of(method)).evaluate(coco.dataset(), detections);
            printVoc(out, result);
        }
        out.flush();
        return 0;
    }

    private void printVoc(PrintWriter out, VocResult result) {
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int k = 0; k < result.classNames().size(); k++) {
            var ap = result.classAp(k);
            perClass.put(result.classNames().get(k), ap.isPresent() ? ap.getAsDouble() : null);
        }
        Double map = result.meanAp().isPresent() ? result.meanAp().getAsDouble() : null;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric.name());
            m.put("mAP", map);
            m.put("classes_with_ap", result.classesWithAp());
            m.put("per_class_ap", perClass);
            JsonOutput.print(out, m);
            return;
        }
        for (Map.Entry<String, Object> e : perClass.entrySet()) {
            out.printf(Locale.ROOT, "AP %-20s %s%n", e.getKey(),
                    e.getValue() == null ? "-   (no ground truth)" : String.format(Locale.ROOT, "%.4f", (Double) e.getValue()));
        }
        out.printf(Locale.ROOT, "mAP (%s, %d classes with ground truth) = %s%n", metric, result.classesWithAp(),
                map == null ? "-" : String.format(Locale.ROOT, "%.4f", map));
    }
}
