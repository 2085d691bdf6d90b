package dev.abo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code abo bench paper} end to end on a tiny network (32 px, 4 blocks, stride 8), 4 steps, 4 rows. */
class PaperBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROWS = "baseline-kmeans,opt-identical,ablation-opt,ablation-soft";

    @TempDir
    Path dir;

    @Test
    void tinyBenchReportsEveryRowWithTheConfigurationThePaperDescribesAndAnAbotrainTwin() throws IOException {
        Path out = dir.resolve("bench");
        BenchCli run = BenchCli.of("bench", "paper", "--dataset", "synthetic:heads", "--input-size", "32", "--steps", "4",
                "--batch", "2", "--backbone", "4,8,8,16", "--eval-images", "8", "--rows", ROWS, "--out", out.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());                       // stdout is exactly one JSON document
        assertThat(JSON.readTree(out.resolve("paper.json").toFile())).isEqualTo(doc);
        assertThat(run.err()).contains("[1/4] synthetic:heads").contains("[4/4]").contains("bench").contains("ETA");
        JsonNode ds = doc.get("datasets").get(0);
        assertThat(ds.get("ablationInit").asText()).isEqualTo("uniform");
        JsonNode rows = ds.get("rows");
        assertThat(ids(rows)).containsExactly(ROWS.split(","));
        for (JsonNode r : rows) {
            for (String field : List.of("ap50MeanPct", "anchorIou", "stepsPerSecond")) {
                assertThat(r.get(field).isNumber()).as(r.get("id") + " " + field).isTrue();
                assertThat(Double.isFinite(r.get(field).asDouble())).as(r.get("id") + " " + field).isTrue();
            }
            assertThat(r.get("ap50MeanPct").asDouble()).isBetween(0.0, 100.0);
            assertThat(r.get("anchors")).hasSize(5);
            for (JsonNode a : r.get("anchors")) {
                assertThat(a.get("w").asDouble()).isPositive().isFinite();
                assertThat(a.get("h").asDouble()).isPositive().isFinite();
            }
        }
        // the differences: Opt(identical) against Baseline(kmeans); the ablation's baseline was not run
        assertThat(rows.get(1).get("deltaPts").asDouble()).isCloseTo(
                rows.get(1).get("ap50MeanPct").asDouble() - rows.get(0).get("ap50MeanPct").asDouble(), within(1e-9));
        assertThat(rows.get(2).get("deltaPts").isNull()).isTrue();
        assertThat(doc.get("summary").get(0).asText()).contains("Opt(identical)").contains("vs baseline-kmeans");

        // each run's configuration, as the trainer recorded it
        JsonNode baseline = metrics(out, "fixed-kmeans");
        assertThat(baseline.at("/config/detector/anchorMode").asText()).isEqualTo("FIXED");
        assertTechniques(baseline, false, false, false);
        assertThat(baseline.get("anchors")).isEqualTo(baseline.get("initialAnchors"));     // fixed means fixed
        for (int k = 0; k < 5; k++) {                                  // the k-means anchors, as the FLOAT network holds them
            assertThat(baseline.get("initialAnchors").get(k).get("w").asDouble())
                    .isCloseTo(ds.get("kmeansAnchors").get(k).get("w").asDouble(), within(1e-5));
            assertThat(baseline.get("initialAnchors").get(k).get("h").asDouble())
                    .isCloseTo(ds.get("kmeansAnchors").get(k).get("h").asDouble(), within(1e-5));
        }

        JsonNode identical = metrics(out, "learn-identical-soft-clust-bn");
        assertThat(identical.at("/config/detector/anchorMode").asText()).isEqualTo("LEARNED");
        assertTechniques(identical, true, true, true);
        for (JsonNode a : identical.get("initialAnchors")) {          // (5, 5) x stride 8, abo train's 1% spread
            assertThat(a.get("w").asDouble()).isCloseTo(40, within(40 * 0.021));
            assertThat(a.get("h").asDouble()).isCloseTo(a.get("w").asDouble(), within(1e-4));
        }
        assertTechniques(metrics(out, "learn-uniform"), false, false, false);
        JsonNode soft = metrics(out, "learn-uniform-soft");
        assertTechniques(soft, true, false, false);
        assertThat(soft.get("initialAnchors").get(1).get("h").asDouble()).isCloseTo(72, within(1e-4)); // (3, 9) x 8

        // markdown: one table line per row, and the two charts per dataset decode at their sizes
        List<String> md = Files.readAllLines(out.resolve("paper.md"));
        assertThat(tableLines(md, PaperTables.MAIN_HEADER)).extracting(l -> l.split("\\|")[1].trim())
                .containsExactly("Baseline(kmeans)", "Opt(identical)");
        assertThat(tableLines(md, PaperTables.ABLATION_HEADER)).extracting(l -> l.split("\\|")[1].trim())
                .containsExactly("Opt", "Opt+Soft");
        assertPng(out.resolve("ap50-heads.png"), PaperCharts.BAR_WIDTH, PaperCharts.BAR_HEIGHT);
        assertPng(out.resolve("anchors-heads.png"), PaperCharts.ANCHOR_WIDTH, PaperCharts.ANCHOR_HEIGHT);

        // the row's abo train command trains the very same configuration from the very same anchors
        String command = rows.get(3).get("trainCommand").asText();
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        assertThat(args.subList(0, 2)).containsExactly("abo", "train");
        args.set(args.size() - 1, dir.resolve("twin").toString());
        BenchCli twin = BenchCli.of(args.subList(1, args.size()).toArray(String[]::new));
        assertThat(twin.exitCode()).as(twin.err()).isZero();
        JsonNode twinMetrics = JSON.readTree(dir.resolve("twin").resolve("metrics.json").toFile());
        assertThat(twinMetrics.get("config")).isEqualTo(soft.get("config"));
        assertThat(twinMetrics.get("initialAnchors")).isEqualTo(soft.get("initialAnchors"));
    }

    @Test
    void quickTrainsHeadsAt128AndOtherDatasetsAt96UnlessAnInputSizeIsGiven() {
        PaperBench quick = new PaperBench();
        new picocli.CommandLine(quick).parseArgs("--quick", "--dataset", "synthetic:heads", "--dataset", "voc:/data/voc:train",
                "--dataset", "synthetic:mixed");
        PaperSettings s = quick.settings();
        assertThat(s.inputSizes()).containsExactly(PaperBench.QUICK_HEADS_INPUT, PaperBench.QUICK_INPUT, PaperBench.QUICK_INPUT);
        assertThat(s.inputSize("synthetic:heads")).isEqualTo(128);
        assertThat(s.steps()).isEqualTo(PaperBench.QUICK_STEPS);
        assertThat(s.trainCommand("synthetic:heads", PaperRow.OPT_KMEANS.run(dev.abo.core.anchor.AnchorInit.UNIFORM), 1))
                .contains("--input-size 128");
        // all of the quick rows need 7 runs per dataset (the Table 6 baseline and full rows are Table 1/5 runs)
        assertThat(s.runs(dev.abo.core.anchor.AnchorInit.UNIFORM)).hasSize(7);
        assertThat(s.runs(dev.abo.core.anchor.AnchorInit.KMEANS)).hasSize(7);

        PaperBench fixed = new PaperBench();
        new picocli.CommandLine(fixed).parseArgs("--quick", "--input-size", "64", "--dataset", "synthetic:heads",
                "--dataset", "synthetic:mixed");
        assertThat(fixed.settings().inputSizes()).containsExactly(64, 64);
    }

    @Test
    void anUnknownRowIsAUserErrorThatListsTheRows() {
        BenchCli run = BenchCli.of("bench", "paper", "--dataset", "synthetic:heads", "--rows", "opt-random",
                "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown row 'opt-random'").contains("ablation-soft-clust-bn");
        assertThat(run.out()).isEmpty();
    }

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static JsonNode metrics(Path out, String run) throws IOException {
        return JSON.readTree(out.resolve("runs").resolve("heads").resolve(run + "-seed1.json").toFile());
    }

    private static void assertTechniques(JsonNode metrics, boolean soft, boolean clust, boolean bn) {
        JsonNode d = metrics.at("/config/detector");
        assertThat(List.of(d.get("softWarmup").asBoolean(), d.get("clusteringWarmup").asBoolean(),
                d.get("bnWithoutShift").asBoolean())).containsExactly(soft, clust, bn);
    }

    /** The data lines of the table under {@code header} (after its separator line, up to the blank line). */
    private static List<String> tableLines(List<String> md, String header) {
        int start = md.indexOf(header);
        assertThat(start).as("table " + header).isNotNegative();
        List<String> lines = new ArrayList<>();
        for (int i = start + 2; i < md.size() && md.get(i).startsWith("|"); i++) {
            lines.add(md.get(i));
        }
        return lines;
    }

    private static void assertPng(Path file, int w, int h) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(w);
        assertThat(img.getHeight()).isEqualTo(h);
    }
}
