package dev.abo.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoReaderTest {

    private static final Path COCO = Path.of(System.getProperty("abo.shared.dir"), "data", "coco-tiny");
    private static final Path VAL = COCO.resolve("annotations/instances_val2017.json");

    @TempDir
    Path dir;

    // ---- real data ----

    @Test
    void tinyValHasItsImagesAnnotationsAndCategories() throws IOException {
        CocoDataset coco = new CocoReader(ReadOptions.strict()).read(VAL);
        Dataset ds = coco.dataset();

        // python3: d = json.load(...); len(d['images']) = 80, len(d['annotations']) = 815,
        // sum(a['iscrowd'] for a in d['annotations']) = 11, sorted category ids 1..90 with gaps, 80 of them
        assertThat(ds.name()).isEqualTo("instances_val2017");
        assertThat(ds.images()).hasSize(80);
        assertThat(ds.objectCount()).isEqualTo(815);
        assertThat(ds.images().stream().flatMap(i -> i.objects().stream()).filter(LabeledObject::crowd).count())
                .isEqualTo(11);
        assertThat(ds.classNames()).hasSize(80).startsWith("person", "bicycle", "car").endsWith("toothbrush");
        assertThat(coco.categoryIds()).hasSize(80).startsWith(1, 2, 3, 4, 5).endsWith(88, 89, 90);
        assertThat(coco.categoryId(79)).isEqualTo(90);
        assertThat(coco.classIndex(90)).isEqualTo(OptionalInt.of(79));
        assertThat(coco.classIndex(12)).isEmpty(); // COCO has no category 12
        assertThat(coco.report().skipped()).isEmpty();
    }

    @Test
    void tinyTrainHasItsImagesAndAnnotations() throws IOException {
        Dataset ds = new CocoReader(ReadOptions.strict()).read(COCO.resolve("annotations/instances_train2017.json")).dataset();

        // python3 json: 80 images, 705 annotations, 6 with iscrowd 1
        assertThat(ds.images()).hasSize(80);
        assertThat(ds.objectCount()).isEqualTo(705);
        assertThat(ds.images().stream().flatMap(i -> i.objects().stream()).filter(LabeledObject::crowd).count()).isEqualTo(6);
    }

    @Test
    void annotationIsScaledToTheImageFile() throws IOException {
        LabeledImage image = byId(new CocoReader(ReadOptions.strict()).read(VAL).dataset(), "532481");

        // the file's images[0]: id 532481, 640x426 declared; `file val2017/000000532481.jpg` -> 224x149.
        // its first annotation, id 508910: person (category 1 -> class 0), iscrowd 0,
        // bbox [250.82, 168.26, 70.11, 64.88], area 2188.0865; sx = 224/640 = 0.35, sy = 149/426
        //   x1 = 250.82*0.35 = 87.787, x2 = (250.82+70.11)*0.35 = 112.3255
        //   y1 = 168.26*149/426 = 25070.74/426 = 58.8515.., y2 = (168.26+64.88)*149/426 = 34737.86/426 = 81.5443..
        //   area = 2188.0865 * 0.35 * 149/426 = 765.830275 * 149/426 = 114108.711/426 = 267.8608..
        assertThat(image.id()).isEqualTo("532481");
        assertThat(image.file()).isEqualTo(COCO.resolve("val2017/000000532481.jpg"));
        assertThat(image.width()).isEqualTo(224);
        assertThat(image.height()).isEqualTo(149);
        assertThat(image.objects()).hasSize(10);
        LabeledObject person = image.objects().get(0);
        assertThat(person.classId()).isZero();
        assertThat(person.crowd()).isFalse();
        assertThat(person.box().x1()).isCloseTo(87.787, within(1e-9));
        assertThat(person.box().x2()).isCloseTo(112.3255, within(1e-9));
        assertThat(person.box().y1()).isCloseTo(168.26 * 149 / 426, within(1e-9)).isCloseTo(58.8515, within(1e-4));
        assertThat(person.box().y2()).isCloseTo(233.14 * 149 / 426, within(1e-9)).isCloseTo(81.5443, within(1e-4));
        assertThat(person.area()).isCloseTo(2188.0865 * 0.35 * 149 / 426, within(1e-9)).isCloseTo(267.8608, within(1e-4));
    }

    @Test
    void declaredCoordinatesKeepTheJsonFrame() throws IOException {
        ReadOptions declared = ReadOptions.strict().with(ReadOptions.Coordinates.DECLARED);
        LabeledImage image = byId(new CocoReader(declared).read(VAL).dataset(), "532481");

        assertThat(image.width()).isEqualTo(640);
        assertThat(image.height()).isEqualTo(426);
        LabeledObject person = image.objects().get(0);
        assertThat(person.box()).isEqualTo(new Box(250.82, 168.26, 250.82 + 70.11, 168.26 + 64.88));
        assertThat(person.area()).isEqualTo(2188.0864999999994); // as Python prints the JSON's 2188.0865
    }

    @Test
    void crowdAnnotationWithALongIdIsKept() throws IOException {
        ReadOptions declared = ReadOptions.strict().with(ReadOptions.Coordinates.DECLARED);
        Dataset ds = new CocoReader(declared).read(VAL).dataset();

        // first crowd annotation: id 900100184324 (> 2^31), image 184324, person, bbox [3, 199, 594, 225], area 34764
        LabeledImage image = ds.images().stream().filter(i -> i.id().equals("184324")).findFirst().orElseThrow();
        assertThat(image.objects()).contains(new LabeledObject(new Box(3, 199, 597, 424), 0, false, true, 34764));
    }

    @Test
    void defaultImageDirFollowsTheCocoLayout() {
        assertThat(CocoReader.defaultImageDir(VAL)).isEqualTo(COCO.resolve("val2017").toAbsolutePath());
        assertThat(CocoReader.defaultImageDir(dir.resolve("tiny.json"))).isEqualTo(dir.toAbsolutePath());
    }

    // ---- synthetic ----

    @Test
    void scalesBoxesAndAreasToASmallerImageFile() throws IOException {
        TestImages.write(dir.resolve("img/a.png"), 100, 50);
        Path json = write(image(1, "a.png", 200, 100), ann(7, 1, 3, "[20, 10, 40, 30]", 1000, 1), category(3, "car"));

        Dataset ds = new CocoReader(ReadOptions.strict()).read(json, dir.resolve("img")).dataset();

        // (20, 10, 60, 40) * (100/200, 50/100) = (10, 5, 30, 20); area 1000 * 0.5 * 0.5
        assertThat(ds.images()).containsExactly(new LabeledImage("1", dir.resolve("img/a.png"), 100, 50,
                java.util.List.of(new LabeledObject(new Box(10, 5, 30, 20), 0, false, true, 250))));
    }

    @Test
    void malformedJsonFailsWithLineAndColumn() throws IOException {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"images\": [],\n \"categories\": x}");

        assertThatThrownBy(() -> new CocoReader(ReadOptions.lenient()).read(json))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(json + ": line 2, column 16: malformed JSON: Unrecognized token 'x': was expecting "
                        + "(JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false')");
    }

    @Test
    void unknownCategoryFailsNamingTheAnnotation() throws IOException {
        Path json = write(image(1, "a.png", 200, 100), ann(7, 1, 99, "[20, 10, 40, 30]", 1200, 0), category(3, "car"));

        assertThatThrownBy(() -> new CocoReader(ReadOptions.strict()).read(json))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(json + ": annotation id 7: unknown category_id 99");
    }

    @Test
    void invalidBoxesFailNamingTheAnnotation() throws IOException {
        Path zero = write(image(1, "a.png", 200, 100), ann(7, 1, 3, "[20, 10, 0, 30]", 0, 0), category(3, "car"));
        assertThatThrownBy(() -> new CocoReader(ReadOptions.strict()).read(zero))
                .hasMessage(zero + ": annotation id 7: zero or negative size 0.0x30.0 in Box[x1=20.0, y1=10.0, x2=20.0, y2=40.0]");

        Path nan = write(image(1, "a.png", 200, 100), ann(8, 1, 3, "[20, NaN, 10, 30]", 300, 0), category(3, "car"));
        assertThatThrownBy(() -> new CocoReader(ReadOptions.strict()).read(nan))
                .hasMessage(nan + ": annotation id 8: non-finite coordinate in Box[x1=20.0, y1=NaN, x2=30.0, y2=NaN]");

        Path outside = write(image(1, "a.png", 200, 100), ann(9, 1, 3, "[190, 10, 20, 30]", 600, 0), category(3, "car"));
        assertThatThrownBy(() -> new CocoReader(ReadOptions.strict()).read(outside))
                .hasMessage(outside + ": annotation id 9: outside the 200.0x100.0 image: Box[x1=190.0, y1=10.0, x2=210.0, y2=40.0]");
    }

    @Test
    void lenientSkipsAndCountsInvalidAnnotations() throws IOException {
        Path json = write(image(1, "a.png", 200, 100),
                ann(7, 1, 99, "[20, 10, 40, 30]", 1200, 0) + "," + ann(8, 1, 3, "[20, 10, 0, 30]", 0, 0) + ","
                        + ann(9, 1, 3, "[20, 10, 40, 30]", 1100, 0),
                category(3, "car"));

        ReadReport report = new CocoReader(ReadOptions.lenient()).read(json).report();

        assertThat(report.dataset().images().get(0).objects())
                .containsExactly(new LabeledObject(new Box(20, 10, 60, 40), 0, false, false, 1100));
        assertThat(report.skippedByKind()).isEqualTo(Map.of(
                SkippedObject.Kind.UNKNOWN_CLASS, 1, SkippedObject.Kind.INVALID_BOX, 1));
        assertThat(report.skipped()).extracting(SkippedObject::message).containsExactly(
                json + ": annotation id 7: unknown category_id 99",
                json + ": annotation id 8: zero or negative size 0.0x30.0 in Box[x1=20.0, y1=10.0, x2=20.0, y2=40.0]");
    }

    @Test
    void structuralProblemsFailEvenWhenLenient() throws IOException {
        CocoReader lenient = new CocoReader(ReadOptions.lenient());

        Path noBbox = write(image(1, "a.png", 200, 100), "{\"id\": 7, \"image_id\": 1, \"category_id\": 3}", category(3, "car"));
        assertThatThrownBy(() -> lenient.read(noBbox))
                .hasMessage(noBbox + ": annotation id 7: \"bbox\" must be an array of 4 numbers [x, y, w, h], missing");

        Path shortBbox = write(image(1, "a.png", 200, 100), ann(7, 1, 3, "[1, 2, 3]", 6, 0), category(3, "car"));
        assertThatThrownBy(() -> lenient.read(shortBbox))
                .hasMessage(shortBbox + ": annotation id 7: \"bbox\" must be an array of 4 numbers [x, y, w, h], got an array of 3");

        Path noImage = write(image(1, "a.png", 200, 100), ann(7, 2, 3, "[1, 2, 3, 4]", 12, 0), category(3, "car"));
        assertThatThrownBy(() -> lenient.read(noImage)).hasMessage(noImage + ": annotation id 7: unknown image_id 2");

        Path crowd = write(image(1, "a.png", 200, 100), ann(7, 1, 3, "[1, 2, 3, 4]", 12, 2), category(3, "car"));
        assertThatThrownBy(() -> lenient.read(crowd)).hasMessage(crowd + ": annotation id 7: \"iscrowd\" must be 0 or 1, got 2");

        Path dupImage = write(image(1, "a.png", 200, 100) + "," + image(1, "b.png", 20, 10), "", category(3, "car"));
        assertThatThrownBy(() -> lenient.read(dupImage)).hasMessage(dupImage + ": image id 1: duplicate image id");

        Path badSize = write(image(4, "a.png", 0, 100), "", category(3, "car"));
        assertThatThrownBy(() -> lenient.read(badSize)).hasMessage(badSize + ": image id 4: declared size must be positive, got 0x100");

        Path dupCategory = write(image(1, "a.png", 200, 100), "", category(3, "car") + "," + category(3, "bus"));
        assertThatThrownBy(() -> lenient.read(dupCategory)).hasMessage(dupCategory + ": category id 3: duplicate category id");

        Path noCategories = dir.resolve("nocat.json");
        Files.writeString(noCategories, "{\"images\": []}");
        assertThatThrownBy(() -> lenient.read(noCategories)).hasMessage(noCategories + ": no \"categories\" section");

        Path stringId = write("{\"id\": \"x\", \"file_name\": \"a.png\", \"width\": 2, \"height\": 2}", "", category(3, "car"));
        assertThatThrownBy(() -> lenient.read(stringId)).hasMessage(stringId + ": image #0: \"id\" must be an integer, got \"x\"");
    }

    private static String image(long id, String file, int w, int h) {
        return "{\"id\": " + id + ", \"file_name\": \"" + file + "\", \"width\": " + w + ", \"height\": " + h + "}";
    }

    private static String ann(long id, long imageId, int categoryId, String bbox, double area, int crowd) {
        return "{\"id\": " + id + ", \"image_id\": " + imageId + ", \"category_id\": " + categoryId
                + ", \"segmentation\": [[1, 2, 3, 4, 5, 6]], \"bbox\": " + bbox + ", \"area\": " + area
                + ", \"iscrowd\": " + crowd + "}";
    }

    private static String category(int id, String name) {
        return "{\"id\": " + id + ", \"name\": \"" + name + "\", \"supercategory\": \"x\"}";
    }

    private int files;

    private Path write(String images, String annotations, String categories) throws IOException {
        Path json = dir.resolve("c" + (files++) + ".json");
        Files.writeString(json, "{\"info\": {\"year\": 2017},\n \"images\": [" + images + "],\n \"annotations\": ["
                + annotations + "],\n \"categories\": [" + categories + "]}\n");
        return json;
    }

    @Test
    void imagesAreListedInAscendingIdOrderLikePycocotools() throws IOException {
        // the file lists 532481 first; COCOeval evaluates images in sorted id order, and score
        // ties across images are broken by that order, so the reader sorts
        List<String> ids = new CocoReader(ReadOptions.strict()).read(VAL).dataset().images().stream()
                .map(LabeledImage::id).toList();
        List<Long> numeric = ids.stream().map(Long::parseLong).toList();
        assertThat(numeric).isSorted().hasSize(80);
        assertThat(ids.get(0)).isEqualTo("5001");
    }

    private static LabeledImage byId(Dataset dataset, String id) {
        return dataset.images().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }
}
