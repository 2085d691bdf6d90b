package dev.abo.core.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoxTest {

    @Test
    void areaWidthHeightAndCentre() {
        // [1,2,5,8]: w = 4, h = 6, area 24, centre (3, 5)
        Box b = new Box(1, 2, 5, 8);
        assertThat(b.width()).isEqualTo(4.0);
        assertThat(b.height()).isEqualTo(6.0);
        assertThat(b.area()).isEqualTo(24.0);
        assertThat(b.cx()).isEqualTo(3.0);
        assertThat(b.cy()).isEqualTo(5.0);
        assertThat(b.shape()).isEqualTo(new Shape(4, 6));
    }

    @Test
    void invertedBoxHasZeroArea() {
        assertThat(new Box(5, 0, 1, 4).area()).isEqualTo(0.0);
    }

    @Test
    void ofCenterRoundTripsThroughCentreAndSize() {
        // binary fractions, so every step is exact
        Box b = Box.ofCenter(10.5, 20.25, 7.0, 3.5);
        assertThat(b).isEqualTo(new Box(7.0, 18.5, 14.0, 22.0));
        assertThat(Box.ofCenter(b.cx(), b.cy(), b.width(), b.height())).isEqualTo(b);
    }

    @Test
    void ofCornerSizeRoundTripsThroughCornerAndSize() {
        // COCO [x, y, w, h] = [3, 4, 10, 2.5] -> corners (3, 4, 13, 6.5)
        Box b = Box.ofCornerSize(3, 4, 10, 2.5);
        assertThat(b).isEqualTo(new Box(3, 4, 13, 6.5));
        assertThat(Box.ofCornerSize(b.x1(), b.y1(), b.width(), b.height())).isEqualTo(b);
    }

    @Test
    void scaleTranslateAndClip() {
        Box b = new Box(1, 2, 3, 4);
        assertThat(b.scale(2, 0.5)).isEqualTo(new Box(2, 1, 6, 2));
        assertThat(b.translate(-1, 10)).isEqualTo(new Box(0, 12, 2, 14));
        assertThat(new Box(-3, 5, 12, 40).clip(10, 20)).isEqualTo(new Box(0, 5, 10, 20));
    }

    @Test
    void validBoxHasNoReason() {
        assertThat(new Box(0, 0, 10, 10).invalidReason(10, 10)).isNull();
        // half a pixel of tolerance outside the image
        assertThat(new Box(-0.5, -0.5, 10.5, 10.5).invalidReason(10, 10)).isNull();
        Box b = new Box(1, 1, 2, 2);
        assertThat(b.validate(10, 10)).isSameAs(b);
    }

    @Test
    void nanCoordinateIsReported() {
        assertThat(new Box(Double.NaN, 0, 4, 4).invalidReason(10, 10))
                .isEqualTo("non-finite coordinate in Box[x1=NaN, y1=0.0, x2=4.0, y2=4.0]");
        assertThat(new Box(0, 0, Double.POSITIVE_INFINITY, 4).invalidReason(10, 10))
                .isEqualTo("non-finite coordinate in Box[x1=0.0, y1=0.0, x2=Infinity, y2=4.0]");
    }

    @Test
    void zeroAndNegativeSizesAreReported() {
        assertThat(new Box(2, 1, 2, 5).invalidReason(10, 10))
                .isEqualTo("zero or negative size 0.0x4.0 in Box[x1=2.0, y1=1.0, x2=2.0, y2=5.0]");
        assertThat(new Box(1, 5, 3, 2).invalidReason(10, 10))
                .isEqualTo("zero or negative size 2.0x-3.0 in Box[x1=1.0, y1=5.0, x2=3.0, y2=2.0]");
    }

    @Test
    void boxOutsideTheImageIsReported() {
        // x2 = 10.6 exceeds 10 + 0.5 tolerance
        assertThat(new Box(1, 1, 10.6, 5).invalidReason(10, 8))
                .isEqualTo("outside the 10.0x8.0 image: Box[x1=1.0, y1=1.0, x2=10.6, y2=5.0]");
        assertThat(new Box(1, -0.75, 3, 5).invalidReason(10, 8))
                .isEqualTo("outside the 10.0x8.0 image: Box[x1=1.0, y1=-0.75, x2=3.0, y2=5.0]");
    }

    @Test
    void validateThrowsWithTheReason() {
        assertThatThrownBy(() -> new Box(2, 1, 2, 5).validate(10, 10))
                .isInstanceOf(InvalidBoxException.class)
                .hasMessage("zero or negative size 0.0x4.0 in Box[x1=2.0, y1=1.0, x2=2.0, y2=5.0]");
    }

    @Test
    void shapeRejectsNonPositiveAndNonFiniteSizes() {
        assertThatThrownBy(() -> new Shape(0, 1))
                .hasMessage("shape needs finite positive width and height, got 0.0x1.0");
        assertThatThrownBy(() -> new Shape(2, Double.NaN))
                .hasMessage("shape needs finite positive width and height, got 2.0xNaN");
        assertThatThrownBy(() -> new Shape(Double.POSITIVE_INFINITY, 1))
                .hasMessage("shape needs finite positive width and height, got Infinityx1.0");
    }

    @Test
    void shapeLogFormRoundTrips() {
        Shape s = new Shape(42.5, 7.25);
        Shape back = Shape.ofLog(s.logW(), s.logH());
        assertThat(back.w()).isCloseTo(42.5, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(back.h()).isCloseTo(7.25, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s.area()).isEqualTo(42.5 * 7.25);
    }
}
