package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.abo.cli.demo.DemoSummary;
import dev.abo.cli.demo.SummaryTable;
import dev.abo.loader.HeldOutRounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code abo demo} end to end in this JVM, tiny and short (32 px, backbone 4-8-8, batches of 2, 0.9 minutes): every
 * service really runs and talks over Kafka, HTTP and gRPC on loopback.
 */
class DemoIT {

    private static final Path VOC = Path.of(System.getProperty("abo.shared.dir", "../shared"), "data", "voc2007-train");

    @TempDir
    Path tmp;

    @Test
    void aShortDemoPublishesPromotesServesAndReportsWhatItPrinted() throws Exception {
        Path out = tmp.resolve("demo");
        Path json = tmp.resolve("summary.json");
        CliRun run = CliRun.of("demo", "--minutes", "0.9", "--out", out.toString(), "--voc", VOC.toString(),
                "--json", json.toString(), "--input-size", "32", "--batch", "2", "--backbone", "4,8,8",
                "--steps-per-second", "6", "--eval-every", "4", "--eval-images", "8", "--final-eval-images", "8",
                "--status-every", "5", "--detect-every", "0.2");
        System.err.print(run.out());         // what a user would have seen, for the build log
        assertThat(run.exitCode()).as(run.err()).isZero();
        DemoSummary s = DemoSummary.fromJson(Files.readString(json));
        assertThat(s.complete()).isTrue();

        // the JSON round-trips and is what was printed: the table rendered from it is the table on stdout
        assertThat(s.toJson() + "\n").isEqualTo(Files.readString(json));
        assertThat(run.out()).contains(SummaryTable.render(s));
        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(Files.readString(json));

        // the registry made versions 1, 2, ... in order, each at a later training step
        List<DemoSummary.Version> versions = s.registry().versions();
        assertThat(versions).isNotEmpty();
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).version()).isEqualTo(i + 1);
            if (i > 0) {
                assertThat(versions.get(i).step()).isGreaterThan(versions.get(i - 1).step());
            }
        }
        // each version carries the registry's decision; the event lines printed each promotion's reason and each
        // held-back version's, and the report lists them
        String html = Files.readString(out.resolve("report.html"));
        for (DemoSummary.Version v : versions) {
            assertThat(v.promoted()).as("v%d decided", v.version()).isNotNull();
            assertThat(v.decisionReason()).as("v%d reason", v.version()).isNotBlank();
            assertThat(run.out()).contains(v.promoted()
                    ? "registry: version " + v.version() + " promoted (auto: " + v.decisionReason() + ")\n"
                    : "registry: version " + v.version() + " created (step " + v.step() + ", AP50 ")
                    .contains(v.promoted() ? "" : ", not promoted: " + v.decisionReason() + "\n");
            assertThat(html).contains(v.decisionReason().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        }
        assertThat(s.registry().promotions()).allSatisfy(p -> assertThat(p.policyReason()).isEqualTo(versions.stream()
                .filter(v -> v.version() == p.version()).findFirst().orElseThrow().decisionReason()));
        // every answer of Detect came from a version the registry promoted, and none failed
        assertThat(s.serving().servedByVersion()).isNotEmpty();
        assertThat(s.registry().promotedVersions()).containsAll(s.serving().servedByVersion().keySet());
        assertThat(s.serving().failed()).isZero();
        assertThat(s.serving().served()).isEqualTo(s.serving().servedByVersion().values().stream().mapToLong(Long::longValue).sum());

        // both trainers trained on both sources; the camera drifted and both phases' boxes were seen
        assertThat(s.learned().steps()).isPositive();
        assertThat(s.fixed().steps()).isPositive();
        assertThat(s.learned().batchesBySource()).containsKeys("camera", "voc");
        // nothing trained that was not written, and only the two loaders wrote training batches
        for (DemoSummary.Trainer t : java.util.List.of(s.learned(), s.fixed())) {
            t.batchesBySource().forEach((source, n) -> assertThat(n).as(source).isLessThanOrEqualTo(s.batchesWritten().get(source)));
        }
        assertThat(s.batchesWritten()).containsOnlyKeys("camera", "voc");
        assertThat(s.drift()).isNotNull();
        // the camera restarted at its next stream batch: the first drifted training batch's, or one of the (at most 4)
        // held-out batches before it (8 held-out images = 4 batches of 2, then 28 training batches, in every round)
        HeldOutRounds rounds = new HeldOutRounds(2, 4, 28);
        assertThat(s.drift().frame() % 2).isZero();
        assertThat(rounds.streamBatch(HeldOutRounds.Kind.TRAIN, s.drift().batch()) - s.drift().frame() / 2).isBetween(0L, 4L);
        assertThat(s.cameraBoxes().before()).isPositive();
        assertThat(s.cameraBoxes().after()).isPositive();
        // the fixed trainer's anchors are its initial ones (up to the network's float precision)
        List<DemoSummary.Wh> fixed = s.anchorRow(DemoSummary.FIXED_AT_END).orElseThrow().anchors();
        List<DemoSummary.Wh> initial = s.anchors().get(0).anchors();
        assertThat(fixed).hasSameSizeAs(initial);
        for (int k = 0; k < fixed.size(); k++) {
            assertThat(fixed.get(k).w()).isCloseTo(initial.get(k).w(), within(1e-5 * initial.get(k).w()));
            assertThat(fixed.get(k).h()).isCloseTo(initial.get(k).h(), within(1e-5 * initial.get(k).h()));
        }
        assertThat(s.ap50().images()).isEqualTo(8);

        // all data under --out; the report shows PNGs that exist
        for (String d : List.of("broker", "registry", "trainer-learned", "trainer-fixed")) {
            assertThat(out.resolve(d)).isDirectory();
        }
        assertThat(out.resolve("trainer-learned/trainer-checkpoint.zip")).isRegularFile();
        List<String> images = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            images.add(m.group(1));
        }
        assertThat(images).contains("anchors-before-drift.png", "anchors-after-drift.png", "anchors-over-steps.png",
                "loss-learned.png", "ap50-learned.png", "ap50-fixed.png");
        for (String img : images) {
            assertThat(Files.readAllBytes(out.resolve(img))).as(img).startsWith(0x89, 'P', 'N', 'G');
        }
    }
}
