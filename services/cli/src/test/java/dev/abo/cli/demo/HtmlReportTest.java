package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.abo.core.geometry.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void theReportReferencesExactlyThePngsItWroteAndEscapesText() throws Exception {
        DemoSummary s = SummaryFixture.summary();
        List<Shape> before = List.of(new Shape(10, 20), new Shape(12, 18), new Shape(30, 30));
        List<String> images = HtmlReport.write(dir, s, before, List.of(),
                new HtmlReport.Curves(List.of(), List.of(), List.of()), List.of("initial (coco)", "learned at the drift"), List.of());
        assertThat(images).containsExactly(HtmlReport.BEFORE_PNG);     // no drifted boxes, no curves: no other plot
        String html = Files.readString(dir.resolve(HtmlReport.FILE));
        List<String> srcs = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            srcs.add(m.group(1));
        }
        assertThat(srcs).containsExactly(HtmlReport.BEFORE_PNG);
        byte[] png = Files.readAllBytes(dir.resolve(HtmlReport.BEFORE_PNG));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(html).contains("<td>learned at the end</td><td>6x9 59x62</td><td>0.568</td><td>0.613</td>");
        assertThat(HtmlReport.esc("a<b & \"c\">")).isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
