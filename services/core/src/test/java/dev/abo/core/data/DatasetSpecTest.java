package dev.abo.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {

    private static final Path DATA = Path.of(System.getProperty("abo.shared.dir"), "data");

    @Test
    void parsesEachForm() {
        assertThat(DatasetSpec.parse("voc:/d/VOC2007")).isEqualTo(new DatasetSpec.Voc(Path.of("/d/VOC2007"), Optional.empty()));
        assertThat(DatasetSpec.parse("voc:/d/VOC2007:trainval"))
                .isEqualTo(new DatasetSpec.Voc(Path.of("/d/VOC2007"), Optional.of("trainval")));
        assertThat(DatasetSpec.parse("coco:ann/instances_val2017.json"))
                .isEqualTo(new DatasetSpec.Coco(Path.of("ann/instances_val2017.json")));
        assertThat(DatasetSpec.parse("idl:brainwash/train.idl"))
                .isEqualTo(new DatasetSpec.Idl(Path.of("brainwash/train.idl"), Optional.empty()));
        assertThat(DatasetSpec.parse("idl:brainwash/train.idl:640x480"))
                .isEqualTo(new DatasetSpec.Idl(Path.of("brainwash/train.idl"), Optional.of(new ImageSize(640, 480))));
    }

    @Test
    void badFormsListTheValidOnes() {
        for (String bad : new String[] {"voc:", "voc::train", "voc:dir:", "coco:", "idl:", "yolo:dir", "dir", "", "idl:x:0x480"}) {
            assertThatThrownBy(() -> DatasetSpec.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad dataset '" + bad + "', expected one of: voc:DIR[:SPLIT], coco:FILE.json, idl:FILE[:WIDTHxHEIGHT]");
        }
    }

    @Test
    void readsTheNamedDataset() throws IOException {
        ReadReport voc = DatasetSpec.parse("voc:" + DATA.resolve("voc2007-train") + ":train").read(ReadOptions.strict());
        assertThat(voc.dataset().name()).isEqualTo("voc2007-train:train");
        assertThat(voc.dataset().images()).hasSize(2501);

        DatasetSpec coco = DatasetSpec.parse("coco:" + DATA.resolve("coco-tiny/annotations/instances_val2017.json"));
        assertThat(coco.read(ReadOptions.strict()).dataset().objectCount()).isEqualTo(815);
        assertThat(((DatasetSpec.Coco) coco).readCoco(ReadOptions.strict()).categoryId(0)).isEqualTo(1);
    }

    @Test
    void idlSizeIsUsedForMissingImages(@TempDir Path dir) throws IOException {
        Path idl = Files.writeString(dir.resolve("x.idl"), "\"nowhere.png\": (1, 2, 3, 4).");

        Dataset ds = DatasetSpec.parse("idl:" + idl + ":640x480").read(ReadOptions.strict()).dataset();

        assertThat(ds.images()).extracting(LabeledImage::width, LabeledImage::height)
                .containsExactly(tuple(640, 480));
    }
}
