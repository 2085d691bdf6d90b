package dev.abo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CocoStatsFormatTest {

    @Test
    void summaryLinesAreCharacterForCharacterPycocotools() {
        // one 40x40 object (area 1600: medium) found exactly: every AP/AR is 1 except the small
        // range (no objects there: -1), exactly as COCOeval.summarize() prints it
        Box b = new Box(10, 10, 50, 50);
        Dataset gt = new Dataset("d", List.of("a"), List.of(new LabeledImage("1", null, 100, 100, List.of(LabeledObject.of(b, 0)))));
        CocoStats stats = new CocoEvaluator().evaluate(gt, Map.of("1", List.of(new Detection(b, 0, 0.9))));
        String[] lines = stats.toString().split("\n");
        assertThat(lines).hasSize(12);
        // the format string of COCOeval._summarize: ' {:<18} {} @[ IoU={:<9} | area={:>6s} | maxDets={:>3d} ] = {:0.3f}'
        assertThat(lines[0]).isEqualTo(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000");
        assertThat(lines[1]).isEqualTo(" Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000");
        assertThat(lines[3]).isEqualTo(" Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000");
        assertThat(lines[6]).isEqualTo(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000");
        assertThat(lines[10]).isEqualTo(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 1.000");
    }
}
