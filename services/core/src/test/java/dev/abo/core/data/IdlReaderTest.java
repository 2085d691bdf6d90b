package dev.abo.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdlReaderTest {

    @TempDir
    Path dir;

    @BeforeEach
    void images() {
        TestImages.write(dir.resolve("imgs/a.png"), 320, 240);
        TestImages.write(dir.resolve("imgs/b.png"), 64, 48);
    }

    @Test
    void readsBoxesSizesAndEmptyImages() throws IOException {
        Path idl = write("""
                "imgs/a.png": (10, 20, 110.5, 220), (12.25, 0, 320, 1e2);
                "imgs/b.png";

                "imgs/b.png":(0.5,1.5,64,48).
                """);

        ReadReport report = new IdlReader(ReadOptions.strict()).read(idl);
        Dataset ds = report.dataset();

        assertThat(ds.name()).isEqualTo("test.idl");
        assertThat(ds.classNames()).containsExactly("head");
        assertThat(ds.images()).containsExactly(
                new LabeledImage("imgs/a.png", dir.resolve("imgs/a.png"), 320, 240, List.of(
                        LabeledObject.of(new Box(10, 20, 110.5, 220), 0),
                        LabeledObject.of(new Box(12.25, 0, 320, 100), 0))),
                new LabeledImage("imgs/b.png", dir.resolve("imgs/b.png"), 64, 48, List.of()),
                new LabeledImage("imgs/b.png", dir.resolve("imgs/b.png"), 64, 48, List.of(
                        LabeledObject.of(new Box(0.5, 1.5, 64, 48), 0))));
        // area = box area: 100.5 * 200
        assertThat(ds.images().get(0).objects().get(0).area()).isEqualTo(20100);
        assertThat(report.skipped()).isEmpty();
    }

    @Test
    void cornersInEitherOrderGiveTheBoxTheySpan() throws IOException {
        // (300, 40) and (200, 10): x2 < x1 and y2 < y1 -> min/max per axis -> (200, 10, 300, 40)
        Path idl = write("\"imgs/a.png\": (300, 40, 200, 10), (50, 90, 60, 80);");

        List<LabeledObject> objects = new IdlReader(ReadOptions.strict()).read(idl).dataset().images().get(0).objects();

        assertThat(objects).extracting(LabeledObject::box)
                .containsExactly(new Box(200, 10, 300, 40), new Box(50, 80, 60, 90));
    }

    @Test
    void lastEntryMayEndWithSemicolonOrNothing() throws IOException {
        assertThat(new IdlReader(ReadOptions.strict()).read(write("\"imgs/b.png\";\n\"imgs/a.png\";\n\n")).dataset().images())
                .hasSize(2);
        assertThat(new IdlReader(ReadOptions.strict()).read(write("\"imgs/b.png\";\n\"imgs/a.png\": (1, 2, 3, 4)")).dataset()
                .objectCount()).isEqualTo(1);
    }

    @Test
    void missingImageNeedsAnExplicitSize() throws IOException {
        Path idl = write("\"imgs/a.png\": (1, 2, 3, 4);\n\"gone/c.png\": (10, 20, 630, 470).");

        assertThatThrownBy(() -> new IdlReader(ReadOptions.strict()).read(idl))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(idl + ": line 2: image file gone/c.png not found; give the image size explicitly to read IDL "
                        + "files without their images");

        Dataset ds = new IdlReader(ReadOptions.strict()).read(idl, new ImageSize(640, 480)).dataset();
        assertThat(ds.images()).extracting(LabeledImage::width, LabeledImage::height)
                .containsExactly(tuple(320, 240), tuple(640, 480));
    }

    @Test
    void syntaxErrorsNameLineAndColumn() throws IOException {
        assertSyntaxError("\"imgs/a.png\": (1, 2, 3, 4);\n\"imgs/a.png\": (10, 20, 110, 220;",
                "line 2, column 32: expected ')', found ';'");
        assertSyntaxError("\"imgs/a.png\": (10, 2O, 110, 220);", "line 1, column 20: expected a number, found '2O'");
        assertSyntaxError("\"imgs/a.png\": (10, , 110, 220);", "line 1, column 20: expected a number, found ','");
        assertSyntaxError("\"imgs/a.png\": (1, 2, 3, 4).\n\"imgs/b.png\".", "line 1, column 27: '.' may only end the last entry, use ';'");
        assertSyntaxError("\"imgs/a.png\": (1, 2, 3, 4)\n\"imgs/b.png\".", "line 1, column 27: expected ',' or ';', found the end of the line");
        assertSyntaxError("\"imgs/a.png\" (1, 2, 3, 4);", "line 1, column 14: expected ':' or ';' or '.', found '('");
        assertSyntaxError("\"imgs/a.png\": (1, 2, 3, 4); x", "line 1, column 29: unexpected text after the end of the entry");
        assertSyntaxError("imgs/a.png: (1, 2, 3, 4);", "line 1, column 1: expected '\"', found 'i'");
        assertSyntaxError("\"imgs/a.png: (1, 2, 3, 4);", "line 1, column 2: unterminated image path");
    }

    @Test
    void invalidBoxesFailInStrictMode() throws IOException {
        assertInvalid("\"imgs/a.png\": (10, 10, 10, 20);",
                "line 1, box 1: zero or negative size 0.0x10.0 in Box[x1=10.0, y1=10.0, x2=10.0, y2=20.0]");
        assertInvalid("\"imgs/a.png\": (1, 2, 3, 4), (10, NaN, 20, 30);",
                "line 1, box 2: non-finite coordinate in Box[x1=10.0, y1=NaN, x2=20.0, y2=NaN]");
        assertInvalid("\"imgs/a.png\": (300, 40, 330, 10);",
                "line 1, box 1: outside the 320.0x240.0 image: Box[x1=300.0, y1=10.0, x2=330.0, y2=40.0]");
    }

    @Test
    void lenientSkipsAndCountsInvalidBoxes() throws IOException {
        Path idl = write("\"imgs/a.png\": (10, 10, 10, 20), (1, 2, 3, 4);\n\"imgs/b.png\": (0, 0, 65, 10).");

        ReadReport report = new IdlReader(ReadOptions.lenient()).read(idl);

        assertThat(report.dataset().images()).extracting(i -> i.objects().size()).containsExactly(1, 0);
        assertThat(report.skippedByKind()).isEqualTo(Map.of(SkippedObject.Kind.INVALID_BOX, 2));
        assertThat(report.skipped()).extracting(SkippedObject::message).containsExactly(
                idl + ": line 1, box 1: zero or negative size 0.0x10.0 in Box[x1=10.0, y1=10.0, x2=10.0, y2=20.0]",
                idl + ": line 2, box 1: outside the 64.0x48.0 image: Box[x1=0.0, y1=0.0, x2=65.0, y2=10.0]");
    }

    private void assertSyntaxError(String text, String expected) throws IOException {
        Path idl = write(text);
        assertThatThrownBy(() -> new IdlReader(ReadOptions.lenient()).read(idl))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(idl + ": " + expected);
    }

    private void assertInvalid(String text, String expected) throws IOException {
        Path idl = write(text);
        assertThatThrownBy(() -> new IdlReader(ReadOptions.strict()).read(idl))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(idl + ": " + expected);
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("test.idl"), text);
    }
}
