package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.TrainingSample;
import dev.abo.platform.codec.DecodedBatch;
import org.junit.jupiter.api.Test;

class ModelShapeTest {

    private static final List<String> MODEL = List.of("box", "ball", "pole", "slab", "tri", "head", "person");

    private static DecodedBatch batch(int size, List<String> classes, List<List<LabeledObject>> images) {
        List<TrainingSample> samples = images.stream()
                .map(objects -> new TrainingSample(RgbImage.blank(size, size), objects, "test")).toList();
        return new DecodedBatch("src", 3, size, size, classes, samples, Instant.ofEpochMilli(7));
    }

    private static LabeledObject object(double x1, int classId) {
        return new LabeledObject(new Box(x1, 1, x1 + 4, 6), classId, classId == 1, false, 20);
    }

    @Test
    void aSubsetInAnotherOrderFitsAndItsIdsAreRenumberedByName() {
        ModelShape shape = new ModelShape(32, MODEL);
        // batch ids: person=0, head=1 -> model ids: person=6, head=5
        DecodedBatch b = batch(32, List.of("person", "head"),
                List.of(List.of(object(1, 0), object(2, 1)), List.of(object(3, 1))));
        assertThat(shape.mismatch(b)).isEmpty();

        DecodedBatch m = shape.toModelClasses(b);

        assertThat(m.classNames()).isEqualTo(MODEL);
        assertThat(m.samples().get(0).objects()).extracting(LabeledObject::classId).containsExactly(6, 5);
        assertThat(m.samples().get(1).objects()).extracting(LabeledObject::classId).containsExactly(5);
        // everything but the class id is kept: box, flags, area, image, origin, and the batch's identity
        assertThat(m.samples().get(0).objects().get(1)).isEqualTo(new LabeledObject(new Box(2, 1, 6, 6), 5, true, false, 20));
        assertThat(m.samples().get(1).image()).isSameAs(b.samples().get(1).image());
        assertThat(m.samples().get(1).origin()).isEqualTo("test");
        assertThat(List.of(m.sourceId(), m.sequenceNumber(), m.inputWidth(), m.created()))
                .isEqualTo(List.of("src", 3L, 32, Instant.ofEpochMilli(7)));
    }

    @Test
    void theModelsOwnListInItsOrderIsReturnedUnchanged() {
        ModelShape shape = new ModelShape(32, MODEL);
        DecodedBatch b = batch(32, MODEL, List.of(List.of(object(1, 4))));
        assertThat(shape.toModelClasses(b)).isSameAs(b);
    }

    @Test
    void aClassOutsideTheModelIsRejectedNamingIt() {
        ModelShape shape = new ModelShape(32, MODEL);
        DecodedBatch b = batch(32, List.of("head", "zebra", "cat"), List.of(List.of(object(1, 0))));
        assertThat(shape.mismatch(b)).contains("batch classes [zebra, cat] are not among the model's " + MODEL);
        assertThatThrownBy(() -> shape.toModelClasses(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[zebra, cat]");
    }

    @Test
    void anotherInputSizeIsRejectedBeforeTheClasses() {
        ModelShape shape = new ModelShape(32, MODEL);
        assertThat(shape.mismatch(batch(16, List.of("zebra"), List.of(List.of()))))
                .contains("batch input is 16x16 px but the model's is 32x32");
    }

    @Test
    void aFirstBatchWithConfiguredClassesGivesTheModelTheConfiguredList() throws Exception {
        DecodedBatch heads = batch(32, List.of("head"), List.of(List.of(object(1, 0))));
        ModelShape shape = ModelShape.forFirstBatch(heads, OptionalInt.of(32), Optional.of(MODEL), 8);
        assertThat(shape).isEqualTo(new ModelShape(32, MODEL));
        assertThat(shape.toModelClasses(heads).samples().get(0).objects().get(0).classId()).isEqualTo(5);
    }

    @Test
    void aFirstBatchWithoutConfiguredClassesGivesTheModelItsOwn() throws Exception {
        DecodedBatch heads = batch(32, List.of("head", "person"), List.of());
        assertThat(ModelShape.forFirstBatch(heads, OptionalInt.empty(), Optional.empty(), 8))
                .isEqualTo(new ModelShape(32, List.of("head", "person")));
    }

    @Test
    void aFirstBatchWithAClassOutsideTheConfiguredListCannotStartAModel() {
        DecodedBatch b = batch(32, List.of("head", "zebra"), List.of());
        assertThatThrownBy(() -> ModelShape.forFirstBatch(b, OptionalInt.empty(), Optional.of(MODEL), 8))
                .isInstanceOf(IncompatibleBatchException.class)
                .hasMessage("batch classes [zebra] are not among ABO_CLASS_NAMES " + MODEL);
    }
}
