package dev.abo.core.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a {@link Dataset} as a COCO instances JSON ({@code images}, {@code annotations},
 * {@code categories}), e.g. to hand a generated evaluation set to another tool. Image ids must be
 * decimal integers; annotation ids are 1, 2, ... in dataset order; {@code categoryIds[classId]} is
 * the category id of a class index. The stream is not closed.
 */
public final class CocoGroundTruthJson {
    private static final JsonFactory JSON = new JsonFactory();

    private CocoGroundTruthJson() {
    }

    public static void write(Dataset dataset, int[] categoryIds, OutputStream out) throws IOException {
        if (categoryIds.length != dataset.classNames().size()) {
            throw new IllegalArgumentException("need one category id per class: " + dataset.classNames().size()
                    + " classes, " + categoryIds.length + " ids");
        }
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeArrayFieldStart("images");
            for (LabeledImage im : dataset.images()) {
                g.writeStartObject();
                g.writeNumberField("id", numericId(im.id()));
                g.writeStringField("file_name", im.file() == null ? im.id() + ".jpg" : im.file().getFileName().toString());
                g.writeNumberField("width", im.width());
                g.writeNumberField("height", im.height());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("annotations");
            long annId = 1;
            for (LabeledImage im : dataset.images()) {
                long imageId = numericId(im.id());
                for (LabeledObject o : im.objects()) {
                    Box b = o.box();
                    g.writeStartObject();
                    g.writeNumberField("id", annId++);
                    g.writeNumberField("image_id", imageId);
                    g.writeNumberField("category_id", categoryIds[o.classId()]);
                    g.writeArrayFieldStart("bbox");
                    g.writeNumber(b.x1());
                    g.writeNumber(b.y1());
                    g.writeNumber(b.width());
                    g.writeNumber(b.height());
                    g.writeEndArray();
                    g.writeNumberField("area", o.area());
                    g.writeNumberField("iscrowd", o.crowd() ? 1 : 0);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            for (int k = 0; k < categoryIds.length; k++) {
                g.writeStartObject();
                g.writeNumberField("id", categoryIds[k]);
                g.writeStringField("name", dataset.classNames().get(k));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static long numericId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("COCO image ids are integers, got '" + id + "'");
        }
    }
}
