package dev.abo.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentShapesTest {

    @Test
    void difficultAndCrowdObjectsAreNotAmongTheGroundTruthShapes() {
        RecentShapes shapes = new RecentShapes(8);
        shapes.add(List.of(List.of(
                LabeledObject.of(new Box(0, 0, 8, 4), 0),
                new LabeledObject(new Box(0, 0, 30, 30), 0, true, false, 900),
                new LabeledObject(new Box(0, 0, 60, 60), 0, false, true, 3600))));
        assertThat(shapes.size()).isEqualTo(1);
        // 32 bins over ln w, ln h in [0, ln 64]: ln 8 / ln 64 = 1/2 -> bin 16; ln 4 / ln 64 = 1/3 -> bin 10
        Map<String, Object> h = shapes.histogram(64);
        long[] counts = (long[]) h.get("counts");
        assertThat(counts[10 * 32 + 16]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(1);
    }
}
