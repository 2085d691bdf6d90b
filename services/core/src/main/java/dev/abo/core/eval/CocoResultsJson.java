package dev.abo.core.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detections in the COCO results format: a JSON array of
 * {@code {"image_id", "category_id", "bbox": [x, y, w, h], "score"}}.
 *
 * <p>{@code categoryIds[classId]} is the COCO category id of a class index. Image ids that are
 * decimal integers are written as JSON numbers (as COCO's are), others as strings; reading gives
 * them back as text. Reading keeps file order: images in order of first appearance, each image's
 * detections in file order (the order pycocotools uses to break score ties). Streams are not closed.
 */
public final class CocoResultsJson {
    private static final JsonFactory JSON = new JsonFactory();

    private CocoResultsJson() {
    }

    /** Writes all detections, images in map order. */
    public static void write(Map<String, List<Detection>> detections, int[] categoryIds, OutputStream out)
            throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartArray();
            for (Map.Entry<String, List<Detection>> e : detections.entrySet()) {
                String id = e.getKey();
                boolean numeric = id.matches("-?[0-9]{1,18}");
                for (Detection d : e.getValue()) {
                    g.writeStartObject();
                    if (numeric) {
                        g.writeNumberField("image_id", Long.parseLong(id));
                    } else {
                        g.writeStringField("image_id", id);
                    }
                    g.writeNumberField("category_id", categoryIds[d.classId()]);
                    Box b = d.box();
                    g.writeArrayFieldStart("bbox");
                    g.writeNumber(b.x1());
                    g.writeNumber(b.y1());
                    g.writeNumber(b.width());
                    g.writeNumber(b.height());
                    g.writeEndArray();
                    g.writeNumberField("score", d.score());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        }
    }

    /**
     * Reads a results array.
     *
     * @throws IOException              on malformed JSON or a missing field
     * @throws IllegalArgumentException for a category id not in {@code categoryIds}
     */
    public static Map<String, List<Detection>> read(InputStream in, int[] categoryIds) throws IOException {
        Map<Integer, Integer> classOf = new HashMap<>();
        for (int k = 0; k < categoryIds.length; k++) {
            classOf.put(categoryIds[k], k);
        }
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(in)) {
            p.configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
            expect(p, p.nextToken(), JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String image = null;
                Integer category = null;
                double[] bbox = null;
                double score = Double.NaN;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "image_id" -> image = p.getText();
                        case "category_id" -> category = p.getIntValue();
                        case "score" -> score = p.getDoubleValue();
                        case "bbox" -> bbox = readBox(p, value);
                        default -> p.skipChildren();
                    }
                }
                if (image == null || category == null || bbox == null || Double.isNaN(score)) {
                    throw new IOException("result near " + p.currentLocation() + " lacks image_id, category_id, bbox or score");
                }
                Integer classId = classOf.get(category);
                if (classId == null) {
                    throw new IllegalArgumentException("unknown category_id " + category + " in results");
                }
                Detection d = new Detection(Box.ofCornerSize(bbox[0], bbox[1], bbox[2], bbox[3]), classId, score);
                out.computeIfAbsent(image, k -> new ArrayList<>()).add(d);
            }
            expect(p, p.currentToken(), JsonToken.END_ARRAY);
        }
        return out;
    }

    private static double[] readBox(JsonParser p, JsonToken start) throws IOException {
        expect(p, start, JsonToken.START_ARRAY);
        double[] b = new double[4];
        for (int i = 0; i < 4; i++) {
            p.nextToken();
            b[i] = p.getDoubleValue();
        }
        expect(p, p.nextToken(), JsonToken.END_ARRAY);
        return b;
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException("expected " + want + " but found " + got + " at " + p.currentLocation());
        }
    }
}
