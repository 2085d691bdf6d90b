package dev.abo.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.geometry.Box;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquareResizeTest {

    @Test
    void stretchesBoxesPerAxisToTheSquareInput() {
        LabeledImage image = new LabeledImage("a", Path.of("a.jpg"), 200, 100, List.of(
                new LabeledObject(new Box(20, 10, 120, 60), 3, true, false, 5000)));

        LabeledImage resized = new SquareResize(416).apply(image);

        // sx = 416/200 = 2.08, sy = 416/100 = 4.16: (20*2.08, 10*4.16, 120*2.08, 60*4.16) = (41.6, 41.6, 249.6, 249.6);
        // area 5000 * 2.08 * 4.16 = 43264 = 208 * 208
        assertThat(resized).isEqualTo(new LabeledImage("a", Path.of("a.jpg"), 416, 416, List.of(
                new LabeledObject(new Box(20 * 2.08, 10 * 4.16, 120 * 2.08, 60 * 4.16), 3, true, false, 5000 * 2.08 * 4.16))));
        assertThat(resized.objects().get(0).box().shape().w()).isCloseTo(208, within(1e-9));
        assertThat(resized.objects().get(0).box().shape().h()).isCloseTo(208, within(1e-9));
    }

    @Test
    void resizesEveryImageOfADataset() {
        Dataset ds = new Dataset("d", List.of("head"), List.of(
                new LabeledImage("a", null, 100, 50, List.of(LabeledObject.of(new Box(0, 0, 100, 50), 0))),
                new LabeledImage("b", null, 32, 64, List.of())));

        Dataset resized = new SquareResize(32).apply(ds);

        assertThat(resized.name()).isEqualTo("d");
        assertThat(resized.classNames()).containsExactly("head");
        assertThat(resized.images()).containsExactly(
                new LabeledImage("a", null, 32, 32, List.of(new LabeledObject(new Box(0, 0, 32, 32), 0, false, false, 1024))),
                new LabeledImage("b", null, 32, 32, List.of()));
    }

    @Test
    void sizeMustBePositive() {
        assertThatThrownBy(() -> new SquareResize(0)).hasMessage("input size must be positive, got 0");
    }
}
