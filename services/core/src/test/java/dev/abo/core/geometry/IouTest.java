package dev.abo.core.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IouTest {

    @Test
    void partialOverlapOfTwoSquares() {
        // [0,0,4,4] and [2,2,6,6] overlap on [2,2,4,4]: inter = 2*2 = 4; union = 16 + 16 - 4 = 28; IoU = 4/28 = 1/7
        Box a = new Box(0, 0, 4, 4);
        Box b = new Box(2, 2, 6, 6);
        assertThat(Iou.intersection(a, b)).isEqualTo(4.0);
        assertThat(Iou.union(a, b)).isEqualTo(28.0);
        assertThat(Iou.of(a, b)).isCloseTo(1.0 / 7, within(1e-15));
        assertThat(Iou.of(b, a)).isEqualTo(Iou.of(a, b));
    }

    @Test
    void disjointBoxesHaveZeroIntersectionAndIou() {
        // [0,0,2,2] and [5,5,7,9]: no overlap; union = 4 + 2*4 = 12
        Box a = new Box(0, 0, 2, 2);
        Box b = new Box(5, 5, 7, 9);
        assertThat(Iou.intersection(a, b)).isEqualTo(0.0);
        assertThat(Iou.union(a, b)).isEqualTo(12.0);
        assertThat(Iou.of(a, b)).isEqualTo(0.0);
    }

    @Test
    void containedBoxIouIsTheAreaRatio() {
        // [1,1,3,3] (area 4) inside [0,0,4,4] (area 16): inter = 4, union = 16, IoU = 1/4
        Box inner = new Box(1, 1, 3, 3);
        Box outer = new Box(0, 0, 4, 4);
        assertThat(Iou.intersection(inner, outer)).isEqualTo(4.0);
        assertThat(Iou.union(inner, outer)).isEqualTo(16.0);
        assertThat(Iou.of(inner, outer)).isEqualTo(0.25);
    }

    @Test
    void boxesTouchingAlongAnEdgeOrACornerDoNotOverlap() {
        // [0,0,2,2] and [2,0,4,2] share the edge x = 2: overlap width 0 -> IoU 0; union = 4 + 4
        Box a = new Box(0, 0, 2, 2);
        Box right = new Box(2, 0, 4, 2);
        Box corner = new Box(2, 2, 3, 3);
        assertThat(Iou.intersection(a, right)).isEqualTo(0.0);
        assertThat(Iou.union(a, right)).isEqualTo(8.0);
        assertThat(Iou.of(a, right)).isEqualTo(0.0);
        assertThat(Iou.of(a, corner)).isEqualTo(0.0);
    }

    @Test
    void identicalBoxesHaveIouOne() {
        Box a = new Box(1.5, 2.25, 7.75, 9.0);
        assertThat(Iou.of(a, a)).isEqualTo(1.0);
    }

    @Test
    void emptyBoxesHaveIouZeroNotNaN() {
        // both areas 0 -> union 0 -> defined as 0
        Box point = new Box(1, 1, 1, 1);
        assertThat(Iou.of(point, point)).isEqualTo(0.0);
    }

    @Test
    void shapeIouOfTransposedRectangles() {
        // (2,8) vs (8,2) on a common centre: inter = min(2,8)*min(8,2) = 4; union = 16 + 16 - 4 = 28; IoU = 1/7
        assertThat(Iou.ofShapes(new Shape(2, 8), new Shape(8, 2))).isCloseTo(1.0 / 7, within(1e-15));
        assertThat(Iou.ofShapes(2, 8, 8, 2)).isCloseTo(1.0 / 7, within(1e-15));
    }

    @Test
    void shapeIouOfNestedShapesIsTheAreaRatio() {
        // (3,3) inside (6,12): inter = 9, union = 72, IoU = 1/8
        assertThat(Iou.ofShapes(new Shape(3, 3), new Shape(6, 12))).isEqualTo(0.125);
        assertThat(Iou.ofShapes(new Shape(5, 7), new Shape(5, 7))).isEqualTo(1.0);
    }

    @Test
    void shapeIouEqualsBoxIouOfTheSameShapesOnACommonCentre() {
        // independent method: place both shapes on centre (10, 20) and use the box IoU
        double[][] shapes = {{2, 8}, {8, 2}, {3.5, 1.25}, {40, 41}, {0.5, 90}};
        for (double[] s : shapes) {
            for (double[] t : shapes) {
                Box a = Box.ofCenter(10, 20, s[0], s[1]);
                Box b = Box.ofCenter(10, 20, t[0], t[1]);
                assertThat(Iou.ofShapes(s[0], s[1], t[0], t[1])).isCloseTo(Iou.of(a, b), within(1e-12));
            }
        }
    }
}
