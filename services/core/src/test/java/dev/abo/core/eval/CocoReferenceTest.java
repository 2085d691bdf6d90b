package dev.abo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-check against the real pycocotools: the synthetic sets in {@code resources/eval/} (made by
 * make_fixtures.py) were evaluated by pycocotools' COCOeval (bbox) and its numbers stored in
 * expected.json (see README.md there). The Java evaluator must give the same 12 stats and per-class
 * AP / AP50 to 1e-12.
 */
class CocoReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"set1", "set2", "set3"})
    void matchesPycocotools(String set) throws IOException {
        JsonNode expected = read("/eval/expected.json").get(set);
        JsonNode instances = read("/eval/" + set + "/instances.json");
        int[] catIds = StreamSupport.stream(instances.get("categories").spliterator(), false)
                .mapToInt(c -> c.get("id").asInt()).sorted().toArray();
        Dataset gt = dataset(instances, catIds);
        Map<String, List<Detection>> dets;
        try (InputStream in = getClass().getResourceAsStream("/eval/" + set + "/results.json")) {
            dets = CocoResultsJson.read(in, catIds);
        }

        CocoStats stats = new CocoEvaluator().evaluate(gt, dets);

        assertThat(stats.asArray()).containsExactly(doubles(expected.get("stats")), within(1e-12));
        double[] ap = doubles(expected.get("classAp"));
        double[] ap50 = doubles(expected.get("classAp50"));
        for (int k = 0; k < catIds.length; k++) {
            assertThat(stats.classAp(k).orElse(-1)).as("AP of category %d", catIds[k]).isCloseTo(ap[k], within(1e-12));
            assertThat(stats.classAp50(k).orElse(-1)).as("AP50 of category %d", catIds[k]).isCloseTo(ap50[k], within(1e-12));
        }
    }

    /** A minimal COCO instances reader: images in ascending id order (as pycocotools sorts them). */
    private static Dataset dataset(JsonNode instances, int[] catIds) {
        Map<Integer, Integer> classOf = new LinkedHashMap<>();
        for (int k = 0; k < catIds.length; k++) {
            classOf.put(catIds[k], k);
        }
        Map<Long, List<LabeledObject>> objects = new LinkedHashMap<>();
        for (JsonNode a : instances.get("annotations")) {
            JsonNode b = a.get("bbox");
            Box box = Box.ofCornerSize(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble());
            LabeledObject o = new LabeledObject(box, classOf.get(a.get("category_id").asInt()), false,
                    a.get("iscrowd").asInt() == 1, a.get("area").asDouble());
            objects.computeIfAbsent(a.get("image_id").asLong(), k -> new ArrayList<>()).add(o);
        }
        List<LabeledImage> images = new ArrayList<>();
        for (JsonNode i : instances.get("images")) {
            long id = i.get("id").asLong();
            images.add(new LabeledImage(Long.toString(id), null, i.get("width").asInt(), i.get("height").asInt(),
                    objects.getOrDefault(id, List.of())));
        }
        images.sort((x, y) -> Long.compare(Long.parseLong(x.id()), Long.parseLong(y.id())));
        List<String> names = new ArrayList<>();
        for (int c : catIds) {
            names.add("c" + c);
        }
        return new Dataset("fixture", names, images);
    }

    private JsonNode read(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            return JSON.readTree(in);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }
}
