package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnchorsCommandTest {
    private static final Path VOC = Path.of(System.getProperty("abo.shared.dir", "../shared"), "data", "voc2007-train");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void evaluatedAnchorsMatchABruteForceComputationOverTheRawXml() throws IOException {
        CliRun run = CliRun.of("anchors", "--dataset", "voc:" + VOC + ":train", "--input-size", "416",
                "--eval", "40,70 90,150 140,290 250,175 320,340", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = JSON.readTree(run.out());

        // independent method: parse the XML with regular expressions (not the project's reader),
        // stretch each box to 416x416 with the JPEG/declared scale folded in (416/declared cancels
        // the JPEG rescale: w_input = (xmax - xmin + 1) * 416 / declared_w), drop difficult objects,
        // and take the best centred IoU per box by brute force
        List<double[]> shapes = rawVocShapes(416);
        double[][] anchors = {{40, 70}, {90, 150}, {140, 290}, {250, 175}, {320, 340}};
        double sum = 0;
        int fits = 0;
        for (double[] s : shapes) {
            double best = 0;
            double bestRatio = 0;
            for (double[] a : anchors) {
                double inter = Math.min(s[0], a[0]) * Math.min(s[1], a[1]);
                best = Math.max(best, inter / (s[0] * s[1] + a[0] * a[1] - inter));
                double rw = s[0] / a[0];
                double rh = s[1] / a[1];
                bestRatio = Math.max(bestRatio, Math.min(Math.min(rw, 1 / rw), Math.min(rh, 1 / rh)));
            }
            sum += best;
            fits += bestRatio > 0.25 ? 1 : 0;
        }
        assertThat(j.get("boxes").asInt()).isEqualTo(shapes.size()).isEqualTo(6301);
        assertThat(j.get("images").asInt()).isEqualTo(2501);
        assertThat(j.get("excluded_difficult_or_crowd").asInt()).isEqualTo(1543);
        assertThat(j.get("avg_iou").asDouble()).isCloseTo(sum / shapes.size(), within(1e-9));
        assertThat(j.get("bpr").asDouble()).isCloseTo((double) fits / shapes.size(), within(1e-12));
        assertThat(j.get("anchors").get(2).get(1).asDouble()).isEqualTo(290.0);
        int matched = 0;
        for (JsonNode n : j.get("matched_per_anchor")) {
            matched += n.asInt();
        }
        assertThat(matched).isEqualTo(6301);
    }

    @Test
    void kmeansGivesKAnchorsWhoseReportedIouIsTheirFitnessAndDrawsAPlot(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("plots/anchors.png");
        CliRun run = CliRun.of("anchors", "--dataset", "voc:" + VOC + ":train", "--input-size", "416", "--k", "5",
                "--seed", "3", "--json", "--plot", png.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = JSON.readTree(run.out());
        assertThat(j.get("anchors")).hasSize(5);

        // feed the reported anchors back through --eval: the same statistics must come out
        StringBuilder eval = new StringBuilder();
        for (JsonNode a : j.get("anchors")) {
            eval.append(a.get(0).asDouble()).append(',').append(a.get(1).asDouble()).append(' ');
        }
        JsonNode again = JSON.readTree(CliRun.of("anchors", "--dataset", "voc:" + VOC + ":train", "--input-size", "416",
                "--eval", eval.toString().trim(), "--json").out());
        // anchors are printed rounded to 1e-3 px, which moves the IoU by far less than 1e-4
        assertThat(again.get("avg_iou").asDouble()).isCloseTo(j.get("avg_iou").asDouble(), within(1e-4));
        // YOLOv2 reports avg IoU 61.0 for k = 5 on VOC 2007+2012; this train split gives about 0.62
        assertThat(j.get("avg_iou").asDouble()).isBetween(0.60, 0.64);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(820);
    }

    @Test
    void aMissingDatasetIsAUserErrorNamingThePath(@TempDir Path dir) {
        CliRun run = CliRun.of("anchors", "--dataset", "voc:" + dir.resolve("nope") + ":train");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("abo anchors: error: ").contains(dir.resolve("nope").toString());
    }

    @Test
    void aBadDatasetSpecListsTheValidForms() {
        CliRun run = CliRun.of("anchors", "--dataset", "pascal:/tmp/x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("voc:DIR[:SPLIT], coco:FILE.json, idl:FILE[:WIDTHxHEIGHT]");
    }

    private static List<double[]> rawVocShapes(int n) throws IOException {
        List<String> ids = Files.readAllLines(VOC.resolve("ImageSets/Main/train.txt"));
        Pattern size = Pattern.compile("<size>\\s*<width>(\\d+)</width>\\s*<height>(\\d+)</height>");
        Pattern object = Pattern.compile("<object>.*?<difficult>(\\d)</difficult>.*?<xmin>([\\d.]+)</xmin>\\s*"
                + "<ymin>([\\d.]+)</ymin>\\s*<xmax>([\\d.]+)</xmax>\\s*<ymax>([\\d.]+)</ymax>.*?</object>", Pattern.DOTALL);
        List<double[]> shapes = new ArrayList<>();
        for (String id : ids) {
            if (id.isBlank()) {
                continue;
            }
            // person objects may list <part> boxes (head, hand, foot) BEFORE their own bndbox
            // (e.g. 001580.xml): drop them so the first bndbox after <difficult> is the object's
            String xml = Files.readString(VOC.resolve("Annotations/" + id.trim() + ".xml"))
                    .replaceAll("(?s)<part>.*?</part>", "");
            Matcher s = size.matcher(xml);
            assertThat(s.find()).isTrue();
            double w = Double.parseDouble(s.group(1));
            double h = Double.parseDouble(s.group(2));
            Matcher o = object.matcher(xml);
            while (o.find()) {
                if (o.group(1).equals("1")) {
                    continue;
                }
                double bw = Double.parseDouble(o.group(4)) - Double.parseDouble(o.group(2)) + 1;
                double bh = Double.parseDouble(o.group(5)) - Double.parseDouble(o.group(3)) + 1;
                shapes.add(new double[] {bw * n / w, bh * n / h});
            }
        }
        return shapes;
    }
}
