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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocReaderTest {

    private static final Path VOC = Path.of(System.getProperty("abo.shared.dir"), "data", "voc2007-train");

    @TempDir
    Path dir;

    // ---- real data ----

    @Test
    void trainSplitHasItsImagesAndObjectCounts() throws IOException {
        ReadReport report = new VocReader(ReadOptions.strict()).read(VOC, "train");
        Dataset ds = report.dataset();

        assertThat(ds.name()).isEqualTo("voc2007-train:train");
        assertThat(ds.classNames()).isEqualTo(VocReader.CLASSES).hasSize(20);
        // wc -l ImageSets/Main/train.txt -> 2501
        assertThat(ds.images()).hasSize(2501);
        assertThat(ds.images().get(0).id()).isEqualTo("000012");
        // for f in $(cat ImageSets/Main/train.txt); do cat Annotations/$f.xml; done | grep -c '<difficult>1</difficult>'
        // -> 1543, and with '<difficult>0</difficult>' -> 6301 (a Python ElementTree count agrees)
        long difficult = ds.images().stream().flatMap(i -> i.objects().stream()).filter(LabeledObject::difficult).count();
        assertThat(difficult).isEqualTo(1543);
        assertThat(ds.objectCount() - difficult).isEqualTo(6301);
        assertThat(report.skipped()).isEmpty();
    }

    @Test
    void boxIsConvertedFromOneBasedCornersAndScaledToTheJpeg() throws IOException {
        LabeledImage image = new VocReader(ReadOptions.strict()).read(VOC, "train").dataset().images().get(1);

        // Annotations/000017.xml: <size> 480x364; `file JPEGImages/000017.jpg` -> 224x170.
        // object 2: horse, difficult 0, xmin 90 ymin 78 xmax 403 ymax 336
        //   continuous corners (90-1, 78-1, 403, 336) = (89, 77, 403, 336)
        //   sx = 224/480, sy = 170/364
        //   -> (89*224/480, 77*170/364, 403*224/480, 336*170/364) = (41.5333.., 35.9615.., 188.0666.., 156.9230..)
        assertThat(image.id()).isEqualTo("000017");
        assertThat(image.file()).isEqualTo(VOC.resolve("JPEGImages/000017.jpg"));
        assertThat(image.width()).isEqualTo(224);
        assertThat(image.height()).isEqualTo(170);
        assertThat(image.objects()).hasSize(2);
        LabeledObject horse = image.objects().get(1);
        assertThat(horse.classId()).isEqualTo(12);
        assertThat(VocReader.CLASSES.get(12)).isEqualTo("horse");
        assertThat(horse.difficult()).isFalse();
        assertThat(horse.crowd()).isFalse();
        assertBox(horse.box(), 89 * 224 / 480.0, 77 * 170 / 364.0, 403 * 224 / 480.0, 336 * 170 / 364.0);
        assertThat(horse.box().x1()).isCloseTo(41.5333333, within(1e-6));
        assertThat(horse.box().y2()).isCloseTo(156.9230769, within(1e-6));
        // area = box area: (403-89)*224/480 * (336-77)*170/364 = 146.5333.. * 120.9615.. = 17724.92..
        assertThat(horse.area()).isCloseTo(314 * 224 / 480.0 * (259 * 170 / 364.0), within(1e-9));
    }

    @Test
    void declaredCoordinatesKeepTheXmlFrame() throws IOException {
        ReadOptions declared = ReadOptions.strict().with(ReadOptions.Coordinates.DECLARED);
        LabeledImage image = new VocReader(declared).read(VOC, "train").dataset().images().get(0);

        // Annotations/000012.xml: 500x333, car (156, 97, 351, 270) -> (155, 96, 351, 270)
        assertThat(image.width()).isEqualTo(500);
        assertThat(image.height()).isEqualTo(333);
        assertThat(image.objects()).containsExactly(
                new LabeledObject(new Box(155, 96, 351, 270), 6, false, false, 196.0 * 174.0));
    }

    @Test
    void withoutSplitReadsAllAnnotationFilesSorted() throws IOException {
        Dataset ds = new VocReader(ReadOptions.strict()).read(VOC).dataset();

        // ls Annotations | wc -l -> 2501, all of them listed in train.txt
        assertThat(ds.name()).isEqualTo("voc2007-train");
        assertThat(ds.images()).hasSize(2501);
        List<String> ids = ds.images().stream().map(LabeledImage::id).toList();
        assertThat(ids).isSorted().startsWith("000012", "000017", "000023");
    }

    // ---- synthetic ----

    @Test
    void scalesToTheJpegWhenItIsSmallerThanDeclared() throws IOException {
        TestImages.write(dir.resolve("JPEGImages/a.jpg"), 50, 40);
        writeXml("a", 100, 80, object("dog", 1, 11, 21, 60, 70));

        LabeledImage image = new VocReader(ReadOptions.strict()).read(dir).dataset().images().get(0);

        // (11-1, 21-1, 60, 70) * (50/100, 40/80) = (5, 10, 30, 35); area 25*25
        assertThat(image.width()).isEqualTo(50);
        assertThat(image.height()).isEqualTo(40);
        assertThat(image.objects()).containsExactly(new LabeledObject(new Box(5, 10, 30, 35), 11, true, false, 625));
    }

    @Test
    void missingJpegKeepsTheDeclaredSize() throws IOException {
        writeXml("a", 100, 80, object("dog", 0, 11, 21, 60, 70));

        LabeledImage image = new VocReader(ReadOptions.strict()).read(dir).dataset().images().get(0);

        assertThat(image.width()).isEqualTo(100);
        assertThat(image.height()).isEqualTo(80);
        assertThat(image.file()).isEqualTo(dir.resolve("JPEGImages/a.jpg"));
        assertThat(image.objects()).containsExactly(new LabeledObject(new Box(10, 20, 60, 70), 11, false, false, 2500));
    }

    @Test
    void unknownClassFailsNamingFileAndObject() throws IOException {
        Path xml = writeXml("a", 100, 80, object("dog", 0, 1, 1, 10, 10), object("unicorn", 0, 1, 1, 10, 10));

        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(xml + ": object 2 ('unicorn'): unknown class 'unicorn', expected one of the 20 VOC classes");
    }

    @Test
    void zeroSizeBoxFails() throws IOException {
        Path xml = writeXml("a", 100, 80, object("cat", 0, 11, 21, 10, 70));

        // xmin 11 -> x1 10 = x2 10
        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(xml + ": object 1 ('cat'): zero or negative size 0.0x50.0 in Box[x1=10.0, y1=20.0, x2=10.0, y2=70.0]");
    }

    @Test
    void boxOutsideTheDeclaredImageFails() throws IOException {
        Path xml = writeXml("a", 100, 80, object("cat", 0, 11, 21, 102, 70));

        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(xml + ": object 1 ('cat'): outside the 100.0x80.0 image: Box[x1=10.0, y1=20.0, x2=102.0, y2=70.0]");
    }

    @Test
    void nanCoordinateFails() throws IOException {
        Path xml = writeXml("a", 100, 80, object("cat", 0, 11, 21, 60, 70).replace("<xmax>60", "<xmax>NaN"));

        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(xml + ": object 1 ('cat'): non-finite coordinate in Box[x1=10.0, y1=20.0, x2=NaN, y2=70.0]");
    }

    @Test
    void lenientSkipsAndCountsInvalidObjects() throws IOException {
        Path xml = writeXml("a", 100, 80,
                object("unicorn", 0, 1, 1, 10, 10), object("cat", 0, 11, 21, 60, 70), object("cat", 0, 11, 21, 10, 70));

        ReadReport report = new VocReader(ReadOptions.lenient()).read(dir);

        assertThat(report.dataset().images().get(0).objects())
                .containsExactly(new LabeledObject(new Box(10, 20, 60, 70), 7, false, false, 2500));
        assertThat(report.skippedCount()).isEqualTo(2);
        assertThat(report.skippedByKind()).isEqualTo(Map.of(
                SkippedObject.Kind.UNKNOWN_CLASS, 1, SkippedObject.Kind.INVALID_BOX, 1));
        assertThat(report.skipped()).extracting(SkippedObject::message).containsExactly(
                xml + ": object 1 ('unicorn'): unknown class 'unicorn', expected one of the 20 VOC classes",
                xml + ": object 3 ('cat'): zero or negative size 0.0x50.0 in Box[x1=10.0, y1=20.0, x2=10.0, y2=70.0]");
    }

    @Test
    void malformedXmlFailsEvenWhenLenient() throws IOException {
        Path xml = writeXml("a", 100, 80, "<object><name>cat</name>\n");

        assertThatThrownBy(() -> new VocReader(ReadOptions.lenient()).read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(xml + ": line 4: malformed XML: The element type \"object\" must be terminated by the "
                        + "matching end-tag \"</object>\".");
    }

    @Test
    void missingFieldsAndBadFlagsFailEvenWhenLenient() throws IOException {
        Path xml = writeXml("a", 100, 80, "<object><name>cat</name><difficult>0</difficult></object>");
        assertThatThrownBy(() -> new VocReader(ReadOptions.lenient()).read(dir))
                .hasMessage(xml + ": object 1 ('cat'): missing <bndbox> in <object>");

        writeXml("a", 100, 80, object("cat", 0, 11, 21, 60, 70).replace("<difficult>0", "<difficult>yes"));
        assertThatThrownBy(() -> new VocReader(ReadOptions.lenient()).read(dir))
                .hasMessage(xml + ": object 1 ('cat'): <difficult> must be 0 or 1, got 'yes'");

        writeXml("a", 100, 80, object("cat", 0, 11, 21, "6O", 70));
        assertThatThrownBy(() -> new VocReader(ReadOptions.lenient()).read(dir))
                .hasMessage(xml + ": object 1 ('cat'): <xmax> is not a number: '6O'");

        writeXml("a", 0, 80);
        assertThatThrownBy(() -> new VocReader(ReadOptions.lenient()).read(dir))
                .hasMessage(xml + ": declared <size> must be positive, got 0x80");
    }

    @Test
    void splitNamingAMissingAnnotationFails() throws IOException {
        writeXml("a", 100, 80);
        Path list = dir.resolve("ImageSets/Main/val.txt");
        Files.createDirectories(list.getParent());
        Files.writeString(list, "a\nb\n");

        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir, "val"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(list + ": line 2: no annotation file Annotations/b.xml");
        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir, "test"))
                .hasMessage(dir.resolve("ImageSets/Main/test.txt") + ": split file not found");
    }

    private static void assertBox(Box box, double x1, double y1, double x2, double y2) {
        assertThat(box.x1()).isCloseTo(x1, within(1e-9));
        assertThat(box.y1()).isCloseTo(y1, within(1e-9));
        assertThat(box.x2()).isCloseTo(x2, within(1e-9));
        assertThat(box.y2()).isCloseTo(y2, within(1e-9));
    }

    private static String object(String name, int difficult, Object xmin, Object ymin, Object xmax, Object ymax) {
        return "<object><name>" + name + "</name><difficult>" + difficult + "</difficult><bndbox><xmin>" + xmin
                + "</xmin><ymin>" + ymin + "</ymin><xmax>" + xmax + "</xmax><ymax>" + ymax + "</ymax></bndbox></object>\n";
    }

    private Path writeXml(String id, int width, int height, String... objects) throws IOException {
        Path xml = dir.resolve("Annotations").resolve(id + ".xml");
        Files.createDirectories(xml.getParent());
        Files.writeString(xml, "<annotation>\n<size><width>" + width + "</width><height>" + height
                + "</height><depth>3</depth></size>\n" + String.join("", objects) + "</annotation>\n");
        return xml;
    }
}
