package dev.abo.cli.demo;

import java.util.List;
import java.util.Map;

/** A hand-made summary with every kind of value (numbers, nulls, empty and filled maps) for the table and JSON tests. */
final class SummaryFixture {
    /** A reason with characters HTML must escape. */
    static final String V2_REASON = "AP50 0.0123 is within 0.0200 of promoted version 1's 0.1000 or better (set <a> & b)";

    private SummaryFixture() {
    }

    static DemoSummary summary() {
        DemoSummary.Setup setup = new DemoSummary.Setup(96, 8, List.of(16, 32, 64, 128, 128), 26, "coco", 3.0, 495.0, 100,
                2.25, 0.75, 25, 64);
        DemoSummary.Trainer learned = new DemoSummary.Trainer(512, 0.9512, 251, Map.of("camera", 380L, "voc", 131L,
                "camera-heldout-drifted", 1L), 0, List.of(new DemoSummary.EvalPoint(25, 0.1, 0.6, 64),
                new DemoSummary.EvalPoint(50, 0.0123, Double.NaN, 64)));
        DemoSummary.Trainer fixed = new DemoSummary.Trainer(508, 0.94, 248, Map.of("camera", 377L, "voc", 130L,
                "camera-heldout-drifted", 1L), 0, List.of());
        DemoSummary.Drift drift = new DemoSummary.Drift(2000, 250, 271.4, 262L, null);
        DemoSummary.Registry registry = new DemoSummary.Registry("http://127.0.0.1:4000", "demo-token",
                List.of(new DemoSummary.Version(1, 25, 0.1, true, "no version of the model was promoted"),
                        new DemoSummary.Version(2, 50, 0.0123, true, V2_REASON),
                        new DemoSummary.Version(3, 75, null, false, "no AP50 to compare with promoted version 2")),
                List.of(new DemoSummary.Promotion(1, "auto", "no version of the model was promoted"),
                        new DemoSummary.Promotion(2, "auto", V2_REASON)), 2L);
        List<DemoSummary.AnchorRow> anchors = List.of(
                new DemoSummary.AnchorRow("initial (coco)", List.of(new DemoSummary.Wh(9.16, 10.84), new DemoSummary.Wh(156.3, 146.7)),
                        0.524, 0.535),
                new DemoSummary.AnchorRow("learned at the drift", List.of(new DemoSummary.Wh(12.4, 15), new DemoSummary.Wh(60, 58)),
                        0.598, 0.367),
                new DemoSummary.AnchorRow("learned at the end", List.of(new DemoSummary.Wh(6, 9), new DemoSummary.Wh(59, 62)),
                        0.568, 0.613),
                new DemoSummary.AnchorRow("fixed at the end", List.of(new DemoSummary.Wh(9.16, 10.84), new DemoSummary.Wh(156.3, 146.7)),
                        0.524, 0.535),
                new DemoSummary.AnchorRow("k-means after the drift", List.of(new DemoSummary.Wh(3, 5), new DemoSummary.Wh(9, 14)),
                        0.348, 0.881));
        return new DemoSummary(true, "finished", 9.0, 532.6, setup, learned, fixed,
                Map.of("camera", 382L, "voc", 131L, "camera-heldout-drifted", 1L), drift, registry, anchors,
                new DemoSummary.Phases(1058, 4398), new DemoSummary.Ap50(200, 0.017, 0.046, 0.012, null),
                new DemoSummary.Serving(79, 1, Map.of(1L, 29L, 2L, 50L), Map.of("DEADLINE_EXCEEDED", 1L), 191.2, 1013.0),
                Map.of("trainer learned", 250.4, "loaders", 12.0), new DemoSummary.Outputs("out/demo", "out/demo/report.html",
                "http://127.0.0.1:4000/"));
    }
}
