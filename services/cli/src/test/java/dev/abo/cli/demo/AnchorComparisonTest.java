package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import org.junit.jupiter.api.Test;

class AnchorComparisonTest {

    @Test
    void eachSetIsScoredByItsMeanBestShapeIouOverEachPhase() {
        // one anchor 10x10: a 10x10 box has IoU 1, a 5x10 box 50/100 = 0.5, a 20x20 box 100/400 = 0.25
        List<Shape> before = List.of(new Shape(10, 10), new Shape(5, 10));
        List<Shape> after = List.of(new Shape(20, 20));
        AnchorComparison c = new AnchorComparison(before, after).add("a", AnchorSet.of(List.of(new Shape(10, 10)), 96));
        DemoSummary.AnchorRow row = c.rows().get(0);
        assertThat(row.name()).isEqualTo("a");
        assertThat(row.anchors()).containsExactly(new DemoSummary.Wh(10, 10));
        assertThat(row.iouBefore()).isCloseTo(0.75, within(1e-12));
        assertThat(row.iouAfter()).isCloseTo(0.25, within(1e-12));
        assertThat(new AnchorComparison(before, List.of()).add("a", AnchorSet.of(List.of(new Shape(10, 10)), 96))
                .rows().get(0).iouAfter()).isNull();
    }

    @Test
    void kMeansOfTwoTightClustersFindsThemAndNeedsAtLeastKBoxes() {
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            shapes.add(new Shape(4 + 0.01 * (i % 3), 6));
            shapes.add(new Shape(40, 20 + 0.01 * (i % 3)));
        }
        AnchorSet k2 = AnchorComparison.kmeans(shapes, 2, 96, 1);
        List<Shape> centres = k2.shapes().stream().sorted((a, b) -> Double.compare(a.w(), b.w())).toList();
        // centres are the members' mean width and height (YOLOv2's rule)
        assertThat(centres.get(0).w()).isCloseTo(4.0098, within(1e-3));
        assertThat(centres.get(0).h()).isCloseTo(6, within(1e-9));
        assertThat(centres.get(1).w()).isCloseTo(40, within(1e-9));
        assertThat(AnchorComparison.kmeans(shapes.subList(0, 1), 2, 96, 1)).isNull();
    }
}
