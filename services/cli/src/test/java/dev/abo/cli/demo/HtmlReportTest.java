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
        // every version with the registry's decision and reason, escaped; no pointer history when every move was automatic
        assertThat(html).contains("<tr><td>v2</td><td>50</td><td>0.012</td><td>promoted</td><td style=\"text-align:left\">"
                + "AP50 0.0123 is within 0.0200 of promoted version 1's 0.1000 or better (set &lt;a&gt; &amp; b)</td></tr>");
        assertThat(html).contains("<tr><td>v3</td><td>75</td><td>-</td><td>held back</td><td style=\"text-align:left\">"
                + "no AP50 to compare with promoted version 2</td></tr>");
        assertThat(html).doesNotContain("Promoted pointer:");
        assertThat(HtmlReport.esc("a<b & \"c\">")).isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
