package dev.abo.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageHeaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSizeOfWrittenImages() throws IOException {
        assertThat(ImageHeader.size(TestImages.write(dir.resolve("a.png"), 320, 240))).contains(new ImageSize(320, 240));
        assertThat(ImageHeader.size(TestImages.write(dir.resolve("b.jpg"), 31, 17))).contains(new ImageSize(31, 17));
    }

    @Test
    void missingFileIsEmpty() throws IOException {
        assertThat(ImageHeader.size(dir.resolve("none.jpg"))).isEqualTo(Optional.empty());
    }

    @Test
    void fileThatIsNotAnImageFails() throws IOException {
        Path text = Files.writeString(dir.resolve("c.jpg"), "not a jpeg");

        assertThatThrownBy(() -> ImageHeader.size(text))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(text + ": not an image format ImageIO can read");
    }

    @Test
    void vocReadFailsOnACorruptJpeg() throws IOException {
        Path jpeg = Files.createDirectories(dir.resolve("JPEGImages")).resolve("a.jpg");
        Files.writeString(jpeg, "not a jpeg");
        Path xml = Files.createDirectories(dir.resolve("Annotations")).resolve("a.xml");
        Files.writeString(xml, "<annotation><size><width>10</width><height>10</height></size></annotation>");

        assertThatThrownBy(() -> new VocReader(ReadOptions.strict()).read(dir))
                .hasMessage(jpeg + ": not an image format ImageIO can read");
    }
}
