package dev.abo.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.abo.core.detect.Detection;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code abo detect}: runs a trained checkpoint on image files. Each image is stretched to the network
 * input (as in training) and the detections are mapped back to the image's own pixels.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Detect objects in images with a checkpoint written by `abo train`.",
            "Boxes are x1,y1,x2,y2 in the original image's pixels; classes are named as stored by abo train",
            "(class0, class1, ... for checkpoints without names); score = objectness x class probability,",
            "after class-specific NMS (IoU 0.45, top 300)."})
final class DetectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "model.zip written by abo train")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "image files (JPEG, PNG, ...)")
    List<Path> images;

    @Option(names = "--min-score", defaultValue = "0.25", description = "drop detections below this score (default ${DEFAULT-VALUE}; AP evaluation uses 0.005)")
    double minScore;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("--min-score must be in [0, 1], got " + minScore);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintStream savedOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));   // DL4J's System.out noise (see TrainCommand)
        List<Map<String, Object>> results = new ArrayList<>();
        Checkpoint.Loaded loaded;
        try {
            loaded = Checkpoint.read(model, false);
            Predictor predictor = Predictor.withMinScore(loaded.net(), loaded.config(), minScore);
            for (Path file : images) {
                RgbImage image = ImageCodec.read(file);
                List<Detection> detections = predictor.detect(image);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("image", file.toString());
                m.put("width", image.width());
                m.put("height", image.height());
                List<Map<String, Object>> list = new ArrayList<>();
                for (Detection d : detections) {
                    Map<String, Object> dm = new LinkedHashMap<>();
                    dm.put("class_id", d.classId());
                    dm.put("class", loaded.classNames().get(d.classId()));
                    dm.put("score", d.score());
                    dm.put("x1", d.box().x1());
                    dm.put("y1", d.box().y1());
                    dm.put("x2", d.box().x2());
                    dm.put("y2", d.box().y2());
                    list.add(dm);
                }
                m.put("detections", list);
                results.add(m);
            }
        } finally {
            System.setOut(savedOut);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model.toString());
            doc.put("min_score", minScore);
            doc.put("images", results);
            JsonOutput.print(out, doc);
        } else {
            for (Map<String, Object> m : results) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> dets = (List<Map<String, Object>>) m.get("detections");
                out.printf(Locale.ROOT, "%s (%dx%d): %d detections%n", m.get("image"), m.get("width"), m.get("height"), dets.size());
                for (Map<String, Object> d : dets) {
                    out.printf(Locale.ROOT, "  %s (class %d)  score %.3f  box %.1f,%.1f,%.1f,%.1f%n", d.get("class"), d.get("class_id"), d.get("score"),
                            d.get("x1"), d.get("y1"), d.get("x2"), d.get("y2"));
                }
            }
            out.flush();
        }
        return 0;
    }
}
