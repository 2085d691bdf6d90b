package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryTableTest {

    @Test
    void theTablePrintsEveryNumberOfTheSummaryWithDashesForWhatWasNotMeasured() {
        String expected = """
                == abo demo summary: finished; 9.0 min planned, 8 min 53 s run ==
                training: 96 px input, batch 8, backbone 16-32-64-128-128, 26 classes, both trainers start from the coco anchors
                                                     learned anchors   fixed anchors
                  steps                                          512             508
                  steps/s                                       0.95            0.94
                  steps after the drift                          251             248
                  last held-out AP50                           0.012               -
                  batches of camera                          380/382         377/382
                  batches of camera-heldout-drifted              1/1             1/1
                  batches of voc                             131/131         130/131
                drift: camera frame 2000 (batch 250) at 4 min 31 s; first drifted batch trained at step 262 (learned), - (fixed)
                anchor versions: 3 created, 2 promoted (v1 v2); inference served v2 at the end
                  v3 held back: no AP50 to compare with promoted version 2
                  last promotion: v2 (auto: AP50 0.0123 is within 0.0200 of promoted version 1's 0.1000 or better (set <a> & b))
                  anchor set (avg IoU with anchors (w x h px)   before    after
                  the camera's boxes)                           (1058)   (4398)
                  initial (coco)           9x11 156x147          0.524    0.535
                  learned at the drift     12x15 60x58           0.598    0.367
                  learned at the end       6x9 59x62             0.568    0.613
                  fixed at the end         9x11 156x147          0.524    0.535
                  k-means after the drift  3x5 9x14              0.348    0.881
                adaptation: avg IoU of the learned anchors with the drifted boxes 0.367 at the drift -> 0.613 at the end \
                (fixed anchors 0.535, k-means of those boxes 0.881); with the boxes before the drift 0.598 -> 0.568
                AP50 of the final models on 200 held-out camera scenes per phase  learned   fixed
                  before the drift (mixed objects)                                  0.017   0.046
                  after the drift (small heads)                                     0.012       -
                Detect over gRPC: 79 served, 1 failed {DEADLINE_EXCEEDED=1}; answered by v1 x29, v2 x50; latency p50 191 ms, p99 1013 ms
                CPU seconds in the training window: loaders 12, trainer learned 250
                out: out/demo   report: out/demo/report.html
                registry page (while the demo ran): http://127.0.0.1:4000/ (token demo-token)
                """;
        assertThat(SummaryTable.render(SummaryFixture.summary())).isEqualTo(expected);
    }

    @Test
    void anInterruptedRunSaysWhatWasNotMeasured() {
        DemoSummary s = SummaryFixture.summary();
        DemoSummary partial = new DemoSummary(false, "interrupted", s.minutesPlanned(), 42, s.setup(), s.learned(), s.fixed(),
                s.batchesWritten(), null, s.registry(), java.util.List.of(), new DemoSummary.Phases(10, 0), new DemoSummary.Ap50(0, null, null, null, null),
                s.serving(), java.util.Map.of(), s.outputs());
        String text = SummaryTable.render(partial);
        assertThat(text).startsWith("== abo demo summary: interrupted; 9.0 min planned, 42 s run ==\n");
        assertThat(text).contains("\ndrift: not reached\n", "\nadaptation: not measured (the trainers did not get past the drift)\n",
                "\nAP50 of the final models: not measured (interrupted)\n");
        assertThat(text).doesNotContain("CPU seconds");
    }

    @Test
    void longListsKeepTheirEndsAndSayHowManyTheyHad() {
        java.util.List<String> nine = java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(i -> "v" + i).toList();
        assertThat(SummaryTable.elide(nine, " ")).isEqualTo("v1 v2 v3 v4 ... v7 v8 v9 [9 in all]");
        assertThat(SummaryTable.elide(nine.subList(0, 8), ", ")).isEqualTo("v1, v2, v3, v4, v5, v6, v7, v8");
    }

    @Test
    void durationsAndNumbers() {
        assertThat(SummaryTable.duration(59.4)).isEqualTo("59 s");
        assertThat(SummaryTable.duration(59.5)).isEqualTo("1 min 00 s");
        assertThat(SummaryTable.duration(532.6)).isEqualTo("8 min 53 s");
        assertThat(SummaryTable.num(null, 3)).isEqualTo("-");
        assertThat(SummaryTable.num(0.0125, 3)).isEqualTo("0.013");
    }

    @Test
    void theRegistrysReasonsOfTheLastHeldBackVersionsAndOfTheLastPromotion() {
        DemoSummary s = SummaryFixture.summary();
        java.util.List<DemoSummary.Version> versions = new java.util.ArrayList<>();
        for (int v = 1; v <= 6; v++) {          // v1 promoted, v2-v6 held back
            versions.add(new DemoSummary.Version(v, 10L * v, 0.5 - 0.01 * v, v == 1, v == 1 ? "first" : "worse " + v));
        }
        DemoSummary.Registry r = new DemoSummary.Registry("u", "t", versions, java.util.List.of(
                new DemoSummary.Promotion(1, "auto", "first"), new DemoSummary.Promotion(1, "manual", null)), 1L);
        String text = SummaryTable.render(new DemoSummary(true, "finished", s.minutesPlanned(), s.secondsRun(), s.setup(),
                s.learned(), s.fixed(), s.batchesWritten(), s.drift(), r, s.anchors(), s.cameraBoxes(), s.ap50(), s.serving(),
                s.cpuSeconds(), s.outputs()));
        assertThat(text).contains("""
                anchor versions: 6 created, 1 promoted (v1); inference served v1 at the end
                  v4 held back: worse 4
                  v5 held back: worse 5
                  v6 held back: worse 6
                  (5 versions held back in all, the last 3 above)
                  last promotion: v1 (manual)
                """);
    }
}
