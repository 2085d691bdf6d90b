package dev.abo.cli.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorPlotTest {

    @Test
    void axesCoverTheBoxesAndEveryAnchor() {
        // boxes 10..20 px: density range = [log 10, log 20] padded by max(0.25, 5% of 0.69) = 0.25
        ShapeDensity d = ShapeDensity.estimate(new double[] {10, 20}, new double[] {10, 20}, 20, 1);
        assertThat(d.minLog()).isCloseTo(Math.log(10) - 0.25, within(1e-12));
        assertThat(d.maxLog()).isCloseTo(Math.log(20) + 0.25, within(1e-12));

        AnchorPlot inside = new AnchorPlot("t", d).withAnchors("a", AnchorSet.of(List.of(new Shape(12, 15)), 64));
        assertThat(inside.axisRange()).containsExactly(d.minLog(), d.maxLog());

        // an anchor of 100 x 3 px lies outside: the range grows to log 3 - 0.15 .. log 100 + 0.15
        AnchorPlot outside = new AnchorPlot("t", d).withAnchors("a", AnchorSet.of(List.of(new Shape(100, 3)), 128));
        assertThat(outside.axisRange()[0]).isCloseTo(Math.log(3) - 0.15, within(1e-12));
        assertThat(outside.axisRange()[1]).isCloseTo(Math.log(100) + 0.15, within(1e-12));
    }
}
