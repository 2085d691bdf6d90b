package dev.abo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CocoResultsJsonTest {
    private static final int[] CATEGORY_IDS = {1, 5, 90};

    @Test
    void writeThenReadGivesTheSameDetectionsInTheSameOrder() throws IOException {
        // quarter-pixel coordinates: x + w and (x2 - x1) are exact, so the boxes come back equal
        Map<String, List<Detection>> dets = new LinkedHashMap<>();
        dets.put("42", List.of(new Detection(new Box(1.25, 2.5, 11.75, 20), 2, 0.875),
                new Detection(new Box(0, 0, 3, 4), 0, 0.1)));
        dets.put("img_7", List.of(new Detection(new Box(5, 6, 7, 8), 1, 0.999)));
        Map<String, List<Detection>> back = roundTrip(dets);
        assertThat(back).containsExactlyEntriesOf(dets);
        assertThat(back.keySet()).containsExactly("42", "img_7");
    }

    @Test
    void writesCocoFieldsWithCategoryIdsAndXywh() throws IOException {
        // class 2 -> category 90; box (1,2)-(4,6) -> [1, 2, 3, 4]; numeric image id as a number
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CocoResultsJson.write(Map.of("7", List.of(new Detection(new Box(1, 2, 4, 6), 2, 0.5))), CATEGORY_IDS, out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("[{\"image_id\":7,\"category_id\":90,\"bbox\":[1.0,2.0,3.0,4.0],\"score\":0.5}]");
    }

    @Test
    void readsResultsWithExtraFieldsInAnyFieldOrder() throws IOException {
        String json = "[{\"score\":0.25,\"bbox\":[10,20,30,40],\"segmentation\":[[1,2]],\"category_id\":5,\"image_id\":3}]";
        Map<String, List<Detection>> read = CocoResultsJson.read(in(json), CATEGORY_IDS);
        assertThat(read).containsExactlyEntriesOf(Map.of("3", List.of(new Detection(new Box(10, 20, 40, 60), 1, 0.25))));
    }

    @Test
    void unknownCategoryIsRejected() {
        String json = "[{\"image_id\":3,\"category_id\":2,\"bbox\":[0,0,1,1],\"score\":0.5}]";
        assertThatThrownBy(() -> CocoResultsJson.read(in(json), CATEGORY_IDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category_id 2");
    }

    @Test
    void missingFieldIsRejected() {
        String json = "[{\"image_id\":3,\"category_id\":1,\"score\":0.5}]";
        assertThatThrownBy(() -> CocoResultsJson.read(in(json), CATEGORY_IDS)).isInstanceOf(IOException.class);
    }

    @Test
    void syntheticSetSurvivesTheRoundTripAndEvaluatesTheSame() throws IOException {
        SyntheticEvalSet set = SyntheticEvalSet.generate(30, 20, 4, 3);
        int[] ids = {1, 2, 3, 4};
        Map<String, List<Detection>> back = roundTrip(set.detections(), ids);
        assertThat(back).isEqualTo(set.detections());
        CocoEvaluator e = new CocoEvaluator();
        assertThat(e.evaluate(set.dataset(), back).asArray()).containsExactly(e.evaluate(set.dataset(), set.detections()).asArray());
    }

    private static Map<String, List<Detection>> roundTrip(Map<String, List<Detection>> dets) throws IOException {
        return roundTrip(dets, CATEGORY_IDS);
    }

    private static Map<String, List<Detection>> roundTrip(Map<String, List<Detection>> dets, int[] ids) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CocoResultsJson.write(dets, ids, out);
        return CocoResultsJson.read(new ByteArrayInputStream(out.toByteArray()), ids);
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
