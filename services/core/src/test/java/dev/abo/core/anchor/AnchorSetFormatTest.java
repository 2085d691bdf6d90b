package dev.abo.core.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.geometry.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnchorSetFormatTest {

    @Test
    void parsesPairsSeparatedByAnyWhitespace() {
        assertThat(AnchorSetFormat.parse("  10,13\t16,30\n 33.5,23 "))
                .containsExactly(new Shape(10, 13), new Shape(16, 30), new Shape(33.5, 23));
        AnchorSet set = AnchorSetFormat.parse("10,13 16,30", 416, 320);
        assertThat(set.shapes()).containsExactly(new Shape(10, 13), new Shape(16, 30));
        assertThat(set.inputWidth()).isEqualTo(416);
        assertThat(set.inputHeight()).isEqualTo(320);
    }

    @Test
    void formatsIntegralValuesWithoutAFraction() {
        assertThat(AnchorSetFormat.format(List.of(new Shape(10, 13), new Shape(42.3072, 55.4064))))
                .isEqualTo("10,13 42.3072,55.4064");
        assertThat(AnchorSetFormat.format(AnchorInit.UNIFORM.anchors(416, 416, 32)))
                .isEqualTo("96,96 96,288 288,288 288,96 192,192");
    }

    @Test
    void formatThenParseIsTheIdentity() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int r = 0; r < 200; r++) {
            int n = 1 + rng.nextInt(9);
            Shape[] shapes = new Shape[n];
            for (int i = 0; i < n; i++) {
                shapes[i] = new Shape(Math.exp(rng.nextDouble(-3, 7)), rng.nextInt(4) == 0 ? 1 + rng.nextInt(400)
                        : Math.exp(rng.nextDouble(-3, 7)));
            }
            List<Shape> list = List.of(shapes);
            assertThat(AnchorSetFormat.parse(AnchorSetFormat.format(list))).isEqualTo(list);
        }
    }

    @Test
    void errorsNameTheBadToken() {
        assertThatThrownBy(() -> AnchorSetFormat.parse("10,13 16x30 5,5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("anchor 2 '16x30' is not of the form w,h");
        assertThatThrownBy(() -> AnchorSetFormat.parse("10,13,4"))
                .hasMessage("anchor 1 '10,13,4' is not of the form w,h");
        assertThatThrownBy(() -> AnchorSetFormat.parse("10,13 abc,4"))
                .hasMessage("anchor 2 'abc,4' has a size that is not a number");
        assertThatThrownBy(() -> AnchorSetFormat.parse("10,"))
                .hasMessage("anchor 1 '10,' has a size that is not a number");
        assertThatThrownBy(() -> AnchorSetFormat.parse("1,1 2,2 0,4"))
                .hasMessage("anchor 3 '0,4' needs a finite positive width and height");
        assertThatThrownBy(() -> AnchorSetFormat.parse("NaN,4"))
                .hasMessage("anchor 1 'NaN,4' needs a finite positive width and height");
        assertThatThrownBy(() -> AnchorSetFormat.parse("   "))
                .hasMessage("no anchors in '   '; expected w,h pairs such as \"10,13 16,30\"");
    }
}
