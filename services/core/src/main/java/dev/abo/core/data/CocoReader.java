package dev.abo.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a COCO instances JSON ({@code images}, {@code annotations}, {@code categories}) with
 * Jackson's streaming parser; {@code segmentation} and unknown sections are skipped unread.
 *
 * <p>Class index = position of the category in the categories sorted by id (see {@link
 * CocoDataset}); {@link LabeledImage#id()} is the COCO image id in decimal; images are listed in ascending id order (as
 * pycocotools evaluates them). Boxes come from
 * {@code bbox [x, y, w, h]}, are validated against the declared {@code width/height}, then, in
 * {@link ReadOptions.Coordinates#IMAGE_FILE} mode, scaled by file/declared per axis when the image
 * file's header size differs (area scaled by {@code sx*sy}); a missing image file keeps the declared
 * size. A missing {@code iscrowd} means 0, a missing {@code area} is taken as the box area; a missing {@code annotations} section means
 * no annotations (as in COCO image-info files). Non-numeric numbers ({@code NaN}, which Python's json
 * writes) are accepted by the parser so that they are reported as invalid boxes.
 */
public final class CocoReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final Set<String> IMAGE_FIELDS = Set.of("id", "file_name", "width", "height");
    private static final Set<String> ANNOTATION_FIELDS =
            Set.of("id", "image_id", "category_id", "bbox", "area", "iscrowd");
    private static final Set<String> CATEGORY_FIELDS = Set.of("id", "name");

    private final ReadOptions options;

    public CocoReader(ReadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The image folder of a COCO annotation file by the COCO layout: {@code
     * <root>/annotations/instances_val2017.json} -> {@code <root>/val2017} (the text after the last
     * {@code _} of the file name); a file name without {@code _} -> the JSON's own folder.
     */
    public static Path defaultImageDir(Path json) {
        Path abs = json.toAbsolutePath();
        String stem = stem(abs);
        int underscore = stem.lastIndexOf('_');
        Path folder = abs.getParent();
        if (underscore < 0 || folder.getParent() == null) {
            return folder;
        }
        return folder.getParent().resolve(stem.substring(underscore + 1));
    }

    /** Reads {@code json} with images in {@link #defaultImageDir(Path)}. */
    public CocoDataset read(Path json) throws IOException {
        return read(json, defaultImageDir(json));
    }

    /** Reads {@code json} with image files {@code imageDir/<file_name>}. */
    public CocoDataset read(Path json, Path imageDir) throws IOException {
        Sections s = new Sections();
        try (JsonParser p = JSON.createParser(json.toFile())) {
            s.parse(p, json);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(json, "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), "malformed JSON: " + e.getOriginalMessage(), e);
        }
        return build(json, imageDir, s);
    }

    private CocoDataset build(Path json, Path imageDir, Sections s) throws IOException {
        if (s.images == null) {
            throw new DatasetFormatException(json, null, "no \"images\" section");
        }
        if (s.categories == null) {
            throw new DatasetFormatException(json, null, "no \"categories\" section");
        }
        List<Fields> categories = new ArrayList<>(s.categories);
        int[] ids = new int[categories.size()];
        List<String> names = new ArrayList<>();
        Map<Integer, Integer> classOf = new HashMap<>();
        for (Fields c : categories) {
            c.integer("id");
            c.string("name");
        }
        categories.sort(Comparator.comparingLong(c -> (Long) c.values.get("id")));
        for (int i = 0; i < ids.length; i++) {
            Fields c = categories.get(i);
            ids[i] = c.integer("id");
            if (classOf.put(ids[i], i) != null) {
                throw new DatasetFormatException(json, "category id " + ids[i], "duplicate category id");
            }
            names.add(c.string("name"));
        }

        Map<Long, Integer> imageIndex = new HashMap<>();
        List<ImageSize> declaredSizes = new ArrayList<>();
        List<ImageFrame> frames = new ArrayList<>();
        List<List<LabeledObject>> objects = new ArrayList<>();
        for (Fields im : s.images) {
            long id = im.longValue("id");
            if (imageIndex.put(id, frames.size()) != null) {
                throw new DatasetFormatException(json, "image id " + id, "duplicate image id");
            }
            int w = im.integer("width");
            int h = im.integer("height");
            if (w <= 0 || h <= 0) {
                throw new DatasetFormatException(json, im.where(), "declared size must be positive, got " + w + "x" + h);
            }
            declaredSizes.add(new ImageSize(w, h));
            frames.add(ImageFrame.of(new ImageSize(w, h), imageDir.resolve(im.string("file_name")), options.coordinates()));
            objects.add(new ArrayList<>());
        }

        InvalidObjects invalid = new InvalidObjects(options.onInvalidObject());
        for (Fields a : s.annotations) {
            long imageId = a.longValue("image_id");
            Integer image = imageIndex.get(imageId);
            if (image == null) {
                throw new DatasetFormatException(json, a.where(), "unknown image_id " + imageId);
            }
            int categoryId = a.integer("category_id");
            double[] bbox = a.bbox();
            boolean crowd = a.zeroOne("iscrowd");
            Box box = Box.ofCornerSize(bbox[0], bbox[1], bbox[2], bbox[3]);
            double area = a.values.get("area") == null ? box.area() : a.number("area");
            Integer classId = classOf.get(categoryId);
            if (classId == null) {
                invalid.reject(json, a.where(), SkippedObject.Kind.UNKNOWN_CLASS,
                        "unknown category_id " + categoryId);
                continue;
            }
            ImageSize declared = declaredSizes.get(image);
            String reason = box.invalidReason(declared.width(), declared.height());
            if (reason != null) {
                invalid.reject(json, a.where(), SkippedObject.Kind.INVALID_BOX, reason);
                continue;
            }
            objects.get(image).add(frames.get(image).apply(new LabeledObject(box, classId, false, crowd, area)));
        }

        List<LabeledImage> images = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Fields im = s.images.get(i);
            ImageSize size = frames.get(i).size();
            images.add(new LabeledImage(Long.toString(im.longValue("id")), imageDir.resolve(im.string("file_name")),
                    size.width(), size.height(), objects.get(i)));
        }
        // ascending image id, as pycocotools' COCOeval orders images: score ties across images are
        // then broken the same way, so the evaluators reproduce its numbers exactly
        images.sort(Comparator.comparingLong(im -> Long.parseLong(im.id())));
        Dataset dataset = new Dataset(stem(json), names, images);
        return new CocoDataset(new ReadReport(dataset, invalid.skipped()), ids);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The three sections as flat field maps, in file order. */
    private static final class Sections {
        List<Fields> images;
        List<Fields> annotations = List.of();
        List<Fields> categories;

        void parse(JsonParser p, Path json) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DatasetFormatException(json, null, "top level is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String section = p.currentName();
                p.nextToken();
                switch (section) {
                    case "images" -> images = array(p, json, "image", IMAGE_FIELDS);
                    case "annotations" -> annotations = array(p, json, "annotation", ANNOTATION_FIELDS);
                    case "categories" -> categories = array(p, json, "category", CATEGORY_FIELDS);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new DatasetFormatException(json, line(p), "content after the top-level object");
            }
        }

        private static List<Fields> array(JsonParser p, Path json, String kind, Set<String> wanted) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new DatasetFormatException(json, line(p), "\"" + kind + "\" section is not an array");
            }
            List<Fields> out = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new DatasetFormatException(json, line(p), kind + " #" + out.size() + " is not an object");
                }
                out.add(Fields.read(p, json, kind, out.size(), wanted));
            }
            return out;
        }
    }

    private static String line(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr();
    }

    /**
     * The wanted fields of one JSON object: numbers as Long or Double, strings, numeric arrays as
     * double[]; anything else is kept as its token so that a typed getter can name it.
     */
    private static final class Fields {
        final Path json;
        final String kind;
        final int index;
        final Map<String, Object> values = new LinkedHashMap<>();

        private Fields(Path json, String kind, int index) {
            this.json = json;
            this.kind = kind;
            this.index = index;
        }

        static Fields read(JsonParser p, Path json, String kind, int index, Set<String> wanted) throws IOException {
            Fields f = new Fields(json, kind, index);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!wanted.contains(name)) {
                    p.skipChildren();
                } else if (t == JsonToken.START_ARRAY) {
                    f.values.put(name, numbers(p));
                } else {
                    f.values.put(name, scalar(p, t));
                }
            }
            return f;
        }

        private static Object scalar(JsonParser p, JsonToken t) throws IOException {
            return switch (t) {
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_STRING -> p.getText();
                case VALUE_NULL -> null;
                default -> {
                    p.skipChildren();
                    yield t;
                }
            };
        }

        private static Object numbers(JsonParser p) throws IOException {
            List<Double> list = new ArrayList<>();
            boolean allNumbers = true;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t.isNumeric()) {
                    list.add(p.getDoubleValue());
                } else {
                    allNumbers = false;
                    p.skipChildren();
                }
            }
            return allNumbers ? list.stream().mapToDouble(Double::doubleValue).toArray() : JsonToken.START_ARRAY;
        }

        /** "annotation id 42", or "annotation #3" (0-based position) when the id is missing or not an integer. */
        String where() {
            return values.get("id") instanceof Long id ? kind + " id " + id : kind + " #" + index;
        }

        private DatasetFormatException bad(String field, String expected) {
            Object v = values.get(field);
            String got = !values.containsKey(field) ? "missing" : v instanceof double[] a ? "got an array of " + a.length
                    : v instanceof String str ? "got \"" + str + "\"" : "got " + v;
            return new DatasetFormatException(json, where(), "\"" + field + "\" must be " + expected + ", " + got);
        }

        long longValue(String field) throws DatasetFormatException {
            if (values.get(field) instanceof Long l) {
                return l;
            }
            throw bad(field, "an integer");
        }

        int integer(String field) throws DatasetFormatException {
            if (values.get(field) instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
            throw bad(field, "a 32-bit integer");
        }

        double number(String field) throws DatasetFormatException {
            Object v = values.get(field);
            if (v instanceof Long l) {
                return l;
            }
            if (v instanceof Double d) {
                return d;
            }
            throw bad(field, "a number");
        }

        String string(String field) throws DatasetFormatException {
            if (values.get(field) instanceof String s) {
                return s;
            }
            throw bad(field, "a string");
        }

        boolean zeroOne(String field) throws DatasetFormatException {
            Object v = values.get(field);
            if (v == null && !values.containsKey(field)) {
                return false;
            }
            if (v instanceof Long l && (l == 0 || l == 1)) {
                return l == 1;
            }
            throw bad(field, "0 or 1");
        }

        double[] bbox() throws DatasetFormatException {
            if (values.get("bbox") instanceof double[] a && a.length == 4) {
                return a;
            }
            throw bad("bbox", "an array of 4 numbers [x, y, w, h]");
        }
    }
}
