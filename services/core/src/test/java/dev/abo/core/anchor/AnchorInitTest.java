package dev.abo.core.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.geometry.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnchorInitTest {

    @Test
    void uniformIsTheGridTableTimesTheStride() {
        // [(3,3),(3,9),(9,9),(9,3),(6,6)] x 32 = [(96,96),(96,288),(288,288),(288,96),(192,192)]
        AnchorSet a = AnchorInit.UNIFORM.anchors(416, 416, 32);
        assertThat(a.shapes()).containsExactly(new Shape(96, 96), new Shape(96, 288), new Shape(288, 288),
                new Shape(288, 96), new Shape(192, 192));
        assertThat(a.inputWidth()).isEqualTo(416);
        assertThat(a.inputHeight()).isEqualTo(416);
    }

    @Test
    void identicalIsFiveTimesFiveByFiveCells() {
        // (5,5) x 16 = (80,80), five times
        AnchorSet a = AnchorInit.IDENTICAL.anchors(320, 256, 16);
        assertThat(a.shapes()).containsExactly(new Shape(80, 80), new Shape(80, 80), new Shape(80, 80),
                new Shape(80, 80), new Shape(80, 80));
        assertThat(a.inputWidth()).isEqualTo(320);
        assertThat(a.inputHeight()).isEqualTo(256);
    }

    @Test
    void vocAndCocoPresetsAreTheYoloV2CfgValuesTimesTheStride() {
        // yolo-voc.cfg first anchor 1.3221,1.73145 -> x32 = 42.3072, 55.4064; last 11.2364,10.0071 -> 359.5648, 320.2272
        AnchorSet voc = AnchorInit.VOC.anchors(416, 416, 32);
        assertThat(voc.size()).isEqualTo(5);
        assertThat(voc.get(0).w()).isCloseTo(42.3072, within(1e-9));
        assertThat(voc.get(0).h()).isCloseTo(55.4064, within(1e-9));
        assertThat(voc.get(4).w()).isCloseTo(359.5648, within(1e-9));
        assertThat(voc.get(4).h()).isCloseTo(320.2272, within(1e-9));
        // yolo.cfg first anchor 0.57273,0.677385 -> x32 = 18.32736, 21.67632; 4th 7.88282,3.52778 -> 252.25024, 112.88896
        AnchorSet coco = AnchorInit.COCO.anchors(416, 416, 32);
        assertThat(coco.get(0).w()).isCloseTo(18.32736, within(1e-9));
        assertThat(coco.get(0).h()).isCloseTo(21.67632, within(1e-9));
        assertThat(coco.get(3).w()).isCloseTo(252.25024, within(1e-9));
        assertThat(coco.get(3).h()).isCloseTo(112.88896, within(1e-9));
    }

    @Test
    void kmeansNeedsDataAndFixedOnesDoNot() {
        assertThat(AnchorInit.KMEANS.needsData()).isTrue();
        assertThat(AnchorInit.UNIFORM.needsData()).isFalse();
        assertThatThrownBy(() -> AnchorInit.KMEANS.anchors(416, 416, 32))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("kmeans anchors come from box shapes: call AnchorInit.KMEANS.fit");
        assertThatThrownBy(() -> AnchorInit.VOC.fit(new double[] {1}, new double[] {1}, 1, 1,
                new SplittableRandom(0), 416, 416))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("voc anchors are fixed: call anchors(inputWidth, inputHeight, stride)");
    }

    @Test
    void kmeansFitsTheShapes() {
        // two distinct shapes, k = 2: the anchors are exactly those shapes, smaller area first
        AnchorSet a = AnchorInit.KMEANS.fit(new double[] {40, 10, 40, 10}, new double[] {20, 10, 20, 10}, 2, 1,
                new SplittableRandom(3), 416, 416);
        assertThat(a.shapes()).containsExactly(new Shape(10, 10), new Shape(40, 20));
        assertThat(a.inputWidth()).isEqualTo(416);
    }

    @Test
    void namesParseCaseInsensitively() {
        assertThat(AnchorInit.parse("Uniform")).isEqualTo(AnchorInit.UNIFORM);
        assertThat(AnchorInit.parse(" KMEANS ")).isEqualTo(AnchorInit.KMEANS);
        assertThat(AnchorInit.parse("coco")).isEqualTo(AnchorInit.COCO);
        assertThatThrownBy(() -> AnchorInit.parse("random"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown anchor initialisation 'random'; valid: uniform, identical, kmeans, voc, coco");
    }

    @Test
    void strideIsValidated() {
        assertThatThrownBy(() -> AnchorInit.UNIFORM.anchors(416, 416, 0))
                .hasMessage("stride must be finite and positive, got 0.0");
    }
}
