package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    /** The pycocotools cross-check fixtures of the core module (see their README for provenance). */
    private static final Path FIXTURES = Path.of("../core/src/test/resources/eval");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cocoJsonStatsAreExactlyPycocotoolsOnTheReferenceFixture() throws IOException {
        for (String set : new String[] {"set1", "set2", "set3"}) {
            CliRun run = CliRun.of("eval", "--gt", FIXTURES.resolve(set + "/instances.json").toString(),
                    "--dt", FIXTURES.resolve(set + "/results.json").toString(), "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode got = JSON.readTree(run.out());
            JsonNode expected = JSON.readTree(FIXTURES.resolve("expected.json").toFile()).get(set).get("stats");
            assertThat(got.get("stats")).hasSize(12);
            for (int i = 0; i < 12; i++) {
                assertThat(got.get("stats").get(i).asDouble()).as(set + " stat " + i)
                        .isCloseTo(expected.get(i).asDouble(), within(1e-12));
            }
            assertThat(got.get("names").get(0).asText()).isEqualTo(
                    "AP @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]");
        }
    }

    @Test
    void vocMetricsOnAHandMadePair(@TempDir Path dir) throws IOException {
        // one image, class "cat" (id 7): two objects; detections: a hit (0.9), a miss (0.8), the
        // second object (0.7). Ranked TP, FP, TP: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1.
        // VOC07 11-point: recall 0..0.5 -> max precision 1 (6 points), 0.6..1.0 -> 2/3 (5 points)
        //   = (6 * 1 + 5 * 2/3) / 11 = (6 + 10/3) / 11 = 28/33
        // all-point: 0.5 * 1 + 0.5 * 2/3 = 5/6
        Path gt = dir.resolve("gt.json");
        Files.writeString(gt, """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 100}],
                 "annotations": [
                   {"id": 1, "image_id": 1, "category_id": 7, "bbox": [10, 10, 20, 20], "area": 400, "iscrowd": 0},
                   {"id": 2, "image_id": 1, "category_id": 7, "bbox": [60, 60, 30, 30], "area": 900, "iscrowd": 0}],
                 "categories": [{"id": 7, "name": "cat"}]}""");
        Path dt = dir.resolve("dt.json");
        Files.writeString(dt, """
                [{"image_id": 1, "category_id": 7, "bbox": [10, 10, 20, 20], "score": 0.9},
                 {"image_id": 1, "category_id": 7, "bbox": [40, 0, 10, 10], "score": 0.8},
                 {"image_id": 1, "category_id": 7, "bbox": [60, 60, 30, 30], "score": 0.7}]""");

        JsonNode voc07 = JSON.readTree(CliRun.of("eval", "--gt", gt.toString(), "--dt", dt.toString(),
                "--metric", "voc07", "--json").out());
        assertThat(voc07.get("mAP").asDouble()).isCloseTo(28.0 / 33, within(1e-12));
        assertThat(voc07.get("per_class_ap").get("cat").asDouble()).isCloseTo(28.0 / 33, within(1e-12));
        JsonNode voc = JSON.readTree(CliRun.of("eval", "--gt", gt.toString(), "--dt", dt.toString(),
                "--metric", "voc", "--json").out());
        assertThat(voc.get("mAP").asDouble()).isCloseTo(5.0 / 6, within(1e-12));
    }

    @Test
    void detectionsOfAnUnknownCategoryAreAUserError(@TempDir Path dir) throws IOException {
        Path dt = dir.resolve("dt.json");
        Files.writeString(dt, "[{\"image_id\": 1, \"category_id\": 99, \"bbox\": [1, 1, 2, 2], \"score\": 0.5}]");
        CliRun run = CliRun.of("eval", "--gt", FIXTURES.resolve("set1/instances.json").toString(), "--dt", dt.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("abo eval: error: ").contains("99");
    }
}
