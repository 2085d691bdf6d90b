package dev.abo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.cli.plot.ShapeDensity;
import dev.abo.detector.train.AnchorPx;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaperChartsTest {

    @Test
    void theDensityIsWidenedAtTheSameBinWidthToShowAnchorsOutsideTheBoxes() {
        // 4 bins of 0.5 over log [1, 3]; one anchor at 40 px (log 3.689), beyond the upper edge
        double[][] grid = {{0, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0.5, 0}, {0, 0, 0, 0}};
        ShapeDensity d = new ShapeDensity(1, 3, 4, grid);

        ShapeDensity wide = PaperCharts.covering(d, List.of(List.of(new AnchorPx(40, 5))));

        // the upper edge must reach log 40 + 0.2 = 3.889: two more bins of 0.5 (3.0 -> 4.0); the lower edge stays
        // (log 5 - 0.2 = 1.409 > 1)
        assertThat(wide.minLog()).isEqualTo(1.0);
        assertThat(wide.maxLog()).isCloseTo(4.0, within(1e-12));
        assertThat(wide.bins()).isEqualTo(6);
        assertThat(wide.binWidth()).isCloseTo(0.5, within(1e-12));
        assertThat(wide.density()[1][1]).isEqualTo(1.0);
        assertThat(wide.density()[2][2]).isEqualTo(0.5);
        assertThat(wide.density()[5][5]).isZero();
        // anchors inside the range leave the density as it is
        assertThat(PaperCharts.covering(d, List.of(List.of(new AnchorPx(7, 7))))).isSameAs(d);
    }
}
