package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.detector.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code abo train} and {@code abo detect} end to end on a tiny network (32 px input, 4 blocks, stride 8). */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trainWritesConsistentArtifactsAndDetectReportsBoxesInOriginalPixels() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("train", "--dataset", "synthetic:mixed", "--input-size", "32", "--steps", "6", "--batch", "4",
                "--backbone", "4,8,8,16", "--eval-every", "3", "--eval-images", "8", "--init", "uniform", "--seed", "3",
                "--out", out.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode stdout = JSON.readTree(run.out());                  // stdout is exactly one JSON document
        assertThat(JSON.readTree(out.resolve("metrics.json").toFile())).isEqualTo(stdout);
        assertThat(stdout.get("steps").asLong()).isEqualTo(6);
        assertThat(stdout.get("evals")).hasSize(2);
        assertThat(stdout.get("evals").get(1).get("step").asLong()).isEqualTo(6);
        assertThat(run.err()).contains("step     6/6").contains("AP50");

        // metrics anchors == the CSV rows of the last step == the checkpoint's anchors
        List<String> csv = Files.readAllLines(out.resolve("anchors.csv"));
        assertThat(csv).hasSize(1 + 6 * 5);
        Checkpoint.Meta meta = Checkpoint.readMeta(out.resolve("model.zip"));
        assertThat(meta.step()).isEqualTo(6);
        for (int k = 0; k < 5; k++) {
            String[] row = csv.get(1 + 5 * 5 + k).split(",");
            assertThat(row[0]).isEqualTo("5");
            double w = Double.parseDouble(row[2]);
            double h = Double.parseDouble(row[3]);
            assertThat(stdout.get("anchors").get(k).get("w").asDouble()).isEqualTo(w);
            assertThat(stdout.get("anchors").get(k).get("h").asDouble()).isEqualTo(h);
            assertThat(meta.anchorWidthsPx()[k]).isEqualTo(w);
            assertThat(meta.anchorHeightsPx()[k]).isEqualTo(h);
        }
        // uniform = [(3,3), (3,9), (9,9), (9,3), (6,6)] x stride 8, as held by the FLOAT network (log in single precision)
        assertThat(stdout.get("initialAnchors").get(1).get("w").asDouble()).isCloseTo(24.0, within(1e-5));
        assertThat(stdout.get("initialAnchors").get(1).get("h").asDouble()).isCloseTo(72.0, within(1e-5));
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + 6);
        assertPng(out.resolve("loss.png"), 900, 500);
        assertPng(out.resolve("ap50.png"), 900, 500);
        assertPng(out.resolve("anchors.png"), 900, 820);

        // detect on a 50x40 PNG: boxes in the original's pixel range, beyond the 32 px input
        RgbImage image = RgbImage.blank(50, 40);
        Random rng = new Random(4);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                for (int c = 0; c < 3; c++) {
                    image.set(x, y, c, rng.nextInt(256));
                }
            }
        }
        Path png = dir.resolve("noise.png");
        Files.write(png, ImageCodec.encode(image, ImageCodec.Format.PNG, 0.9f));
        CliRun detect = CliRun.of("detect", "--model", out.resolve("model.zip").toString(), "--min-score", "0", "--json",
                png.toString());

        assertThat(detect.exitCode()).as(detect.err()).isZero();
        JsonNode doc = JSON.readTree(detect.out());
        JsonNode img = doc.get("images").get(0);
        assertThat(img.get("width").asInt()).isEqualTo(50);
        assertThat(img.get("height").asInt()).isEqualTo(40);
        JsonNode dets = img.get("detections");
        assertThat(dets.size()).isBetween(1, 300);
        List<String> mixedClasses = List.of("box", "ball", "pole", "slab", "tri");   // synthetic:mixed, by class id
        for (JsonNode d : dets) {
            assertThat(d.get("class").asText()).isEqualTo(mixedClasses.get(d.get("class_id").asInt()));
        }
        double maxX2 = 0;
        for (JsonNode d : dets) {
            assertThat(d.get("x1").asDouble()).isBetween(0.0, 50.0);
            assertThat(d.get("x2").asDouble()).isBetween(d.get("x1").asDouble(), 50.0);
            assertThat(d.get("y1").asDouble()).isBetween(0.0, 40.0);
            assertThat(d.get("y2").asDouble()).isBetween(d.get("y1").asDouble(), 40.0);
            maxX2 = Math.max(maxX2, d.get("x2").asDouble());
        }
        assertThat(maxX2).isGreaterThan(32);
    }

    private static void assertPng(Path file, int w, int h) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(w);
        assertThat(img.getHeight()).isEqualTo(h);
    }

    private static String[] tinyRun(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--dataset", "synthetic:mixed", "--input-size", "32",
                "--steps", "8", "--batch", "2", "--backbone", "4,8,8,16", "--eval-every", "8", "--eval-images", "4",
                "--warmup", "6", "--lambda-after", "0.3", "--lr-policy", "late_drop", "--seed", "5", "--out", out.toString(), "--json"));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    @Test
    void aRunStoppedAndResumedFromItsCheckpointEndsExactlyAsTheUninterruptedRun() throws IOException {
        // the warm-up (6 steps) and the late drop (step 7) both lie after the interruption at step 4
        CliRun whole = CliRun.of(tinyRun(dir.resolve("whole")));
        CliRun first = CliRun.of(tinyRun(dir.resolve("first"), "--stop-after", "4"));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(first.exitCode()).as(first.err()).isZero();
        Path half = dir.resolve("first").resolve("model.zip");
        assertThat(Checkpoint.readMeta(half).step()).isEqualTo(4);          // where it stopped, not --steps

        CliRun second = CliRun.of(tinyRun(dir.resolve("second"), "--resume", half.toString()));

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("resumed at step 4");
        JsonNode a = JSON.readTree(whole.out());
        JsonNode b = JSON.readTree(second.out());
        assertThat(b.get("startStep").asLong()).isEqualTo(4);
        assertThat(b.get("anchors")).isEqualTo(a.get("anchors"));
        assertThat(b.get("finalLoss")).isEqualTo(a.get("finalLoss"));
        assertThat(b.get("finalAp50")).isEqualTo(a.get("finalAp50"));
        assertThat(b.get("initialAnchors")).isNotEqualTo(a.get("initialAnchors"));   // the anchors of step 4
        assertThat(Checkpoint.readMeta(dir.resolve("second").resolve("model.zip")).step()).isEqualTo(8);
        // the history of the resumed run: steps 4..7, with the losses of the uninterrupted run
        List<String> wholeHistory = Files.readAllLines(dir.resolve("whole").resolve("history.csv"));
        List<String> secondHistory = Files.readAllLines(dir.resolve("second").resolve("history.csv"));
        assertThat(secondHistory.subList(1, 5)).extracting(l -> l.split(",")[1])
                .containsExactlyElementsOf(wholeHistory.subList(5, 9).stream().map(l -> l.split(",")[1]).toList());

        // resuming with other network options, or a finished run, is a user error
        CliRun otherLr = CliRun.of(tinyRun(dir.resolve("x"), "--resume", half.toString(), "--lr", "2e-3"));
        CliRun finished = CliRun.of(tinyRun(dir.resolve("y"), "--resume", dir.resolve("second").resolve("model.zip").toString()));
        assertThat(otherLr.exitCode()).isEqualTo(2);
        assertThat(otherLr.err()).contains("different network configuration");
        assertThat(finished.exitCode()).isEqualTo(2);
        assertThat(finished.err()).contains("is at step 8, nothing left to do");
    }

    @Test
    void anInputSizeThatIsNotAMultipleOfTheStrideIsAUserError() {
        CliRun run = CliRun.of("train", "--dataset", "synthetic:mixed", "--input-size", "40", "--steps", "2",
                "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("abo train: error:").contains("multiple of the stride 16");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badAnchorModeUnknownInitAndUnknownDatasetAreUserErrors() {
        CliRun mode = CliRun.of("train", "--dataset", "synthetic:mixed", "--anchors", "sometimes", "--out", dir.toString());
        CliRun init = CliRun.of("train", "--dataset", "synthetic:mixed", "--init", "random", "--out", dir.toString());
        CliRun data = CliRun.of("train", "--dataset", "synthetic:cats", "--out", dir.toString());

        assertThat(mode.exitCode()).isEqualTo(2);
        assertThat(mode.err()).contains("--anchors must be learn or fixed");
        assertThat(init.exitCode()).isEqualTo(2);
        assertThat(init.err()).contains("unknown anchor initialisation 'random'");
        assertThat(data.exitCode()).isEqualTo(2);
        assertThat(data.err()).contains("synthetic:cats");
    }

    @Test
    void detectWithAMissingModelIsAUserError() {
        CliRun run = CliRun.of("detect", "--model", dir.resolve("none.zip").toString(), dir.resolve("a.png").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("abo detect: error:").contains("none.zip");
    }
}
