package dev.abo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import dev.abo.core.geometry.Shape;
import org.junit.jupiter.api.Test;

class AnchorMatchTest {

    @Test
    void meanBestIouByHand() {
        // 4x4 matches 4x4 exactly (1); 2x2 vs 4x4: 4 / 16 = 0.25, vs 2x8: 4 / (4 + 16 - 4) = 0.25 -> mean 0.625
        assertThat(AnchorMatch.meanBestIou(List.of(new Shape(4, 4), new Shape(2, 2)), List.of(new Shape(4, 4), new Shape(2, 8))))
                .isCloseTo(0.625, within(1e-12));
        // 2x8 vs 4x4: 8 / (16 + 16 - 8) = 1/3; vs 8x2: 4 / (16 + 16 - 4) = 1/7
        assertThat(AnchorMatch.meanBestIou(List.of(new Shape(2, 8)), List.of(new Shape(4, 4), new Shape(8, 2))))
                .isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void kmeansOfTwoTightClustersFindsBoth() {
        List<Shape> boxes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            boxes.add(new Shape(3 + 0.01 * i, 4));
            boxes.add(new Shape(20, 10 + 0.01 * i));
        }
        List<Shape> k = AnchorMatch.kmeans(boxes, 2);
        // centres are the members' mean width and height (YOLOv2's rule), smallest area first
        assertThat(k.get(0).w()).isCloseTo(3.245, within(1e-9));
        assertThat(k.get(0).h()).isCloseTo(4, within(1e-9));
        assertThat(k.get(1).w()).isCloseTo(20, within(1e-9));
        assertThat(k.get(1).h()).isCloseTo(10.245, within(1e-9));
        assertThat(AnchorMatch.meanBestIou(boxes, k)).isGreaterThan(0.97);
    }
}
