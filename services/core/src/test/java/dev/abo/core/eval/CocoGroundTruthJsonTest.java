package dev.abo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.data.CocoDataset;
import dev.abo.core.data.CocoReader;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoGroundTruthJsonTest {

    @Test
    void writtenGroundTruthReadsBackIdenticallyAndEvaluatesTheSame(@TempDir Path dir) throws IOException {
        SyntheticEvalSet set = SyntheticEvalSet.generate(30, 8, 4, 7);
        int[] categoryIds = {3, 9, 11, 40};
        Path file = dir.resolve("gt.json");
        try (OutputStream out = Files.newOutputStream(file)) {
            CocoGroundTruthJson.write(set.dataset(), categoryIds, out);
        }

        CocoDataset back = new CocoReader(ReadOptions.strict().with(ReadOptions.Coordinates.DECLARED)).read(file);

        assertThat(back.categoryIds()).containsExactly(categoryIds);
        assertThat(back.dataset().classNames()).isEqualTo(set.dataset().classNames());
        // quarter-pixel coordinates survive the text round trip exactly, and the generator's ids
        // 1..30 are already in ascending order, so the images compare equal field by field
        for (int i = 0; i < 30; i++) {
            LabeledImage a = set.dataset().images().get(i);
            LabeledImage b = back.dataset().images().get(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.width()).isEqualTo(a.width());
            assertThat(b.objects()).isEqualTo(a.objects());
        }
        CocoEvaluator evaluator = new CocoEvaluator();
        assertThat(evaluator.evaluate(back.dataset(), set.detections()).asArray())
                .containsExactly(evaluator.evaluate(set.dataset(), set.detections()).asArray());
    }

    @Test
    void nonNumericImageIdsAndWrongCategoryCountAreRejected(@TempDir Path dir) {
        Dataset named = new Dataset("d", List.of("a"), List.of(
                new LabeledImage("cam-1", null, 10, 10, List.of(LabeledObject.of(new Box(1, 1, 5, 5), 0)))));
        assertThatThrownBy(() -> CocoGroundTruthJson.write(named, new int[] {1}, OutputStream.nullOutputStream()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("COCO image ids are integers, got 'cam-1'");
        assertThatThrownBy(() -> CocoGroundTruthJson.write(named, new int[] {1, 2}, OutputStream.nullOutputStream()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need one category id per class: 1 classes, 2 ids");
    }
}
