package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LabelEncoderTest {

    /** 64 px input, stride 16, grid 4x4, 3 classes. */
    private static final DetectorConfig CONFIG = DetectorConfig.defaults(64, 3);
    private static final LossSchedule SCHEDULE = new LossSchedule(1, 0.5, 0.25);

    /** Plane of {@code field} of slot {@code k} (C = 3). */
    private static int slot(int k, int field) {
        return LabelLayout.slotPlane(k, field, 3);
    }

    @Test
    void writesOffsetsLogSizesInGridUnitsClassAndSchedulePlanes() {
        // centre (26, 40) px -> cell (1, 2), offsets (26/16 - 1, 40/16 - 2) = (0.625, 0.5); size 12x24 px = 0.75x1.5 cells
        Box box = Box.ofCenter(26, 40, 12, 24);
        INDArray l = new LabelEncoder(CONFIG).encode(List.of(List.of(LabeledObject.of(box, 2))), SCHEDULE, DataType.DOUBLE).labels();

        // 3 schedule planes + A = 5 slots of (present, x, y, log w, log h, 3 classes)
        assertThat(l.shape()).containsExactly(1, 3 + 5 * 8, 4, 4);
        assertThat(l.getDouble(0, slot(0, LabelLayout.PRESENT), 2, 1)).isEqualTo(1);
        assertThat(l.getDouble(0, slot(0, LabelLayout.OFFSET_X), 2, 1)).isCloseTo(0.625, within(1e-12));
        assertThat(l.getDouble(0, slot(0, LabelLayout.OFFSET_Y), 2, 1)).isCloseTo(0.5, within(1e-12));
        assertThat(l.getDouble(0, slot(0, LabelLayout.LOG_W), 2, 1)).isCloseTo(Math.log(0.75), within(1e-12));
        assertThat(l.getDouble(0, slot(0, LabelLayout.LOG_H), 2, 1)).isCloseTo(Math.log(1.5), within(1e-12));
        assertThat(l.getDouble(0, slot(0, LabelLayout.CLASS_0 + 2), 2, 1)).isEqualTo(1);
        assertThat(l.getDouble(0, slot(0, LabelLayout.CLASS_0), 2, 1)).isEqualTo(0);
        // every other cell and slot is empty, the schedule is in every cell
        double present = 0;
        for (int k = 0; k < 5; k++) {
            present += l.get(NDArrayIndex.point(0), NDArrayIndex.point(slot(k, LabelLayout.PRESENT))).sumNumber().doubleValue();
        }
        assertThat(present).isEqualTo(1);
        assertThat(l.getDouble(0, LabelLayout.SOFT_WEIGHT, 3, 3)).isEqualTo(1);
        assertThat(l.getDouble(0, LabelLayout.TEMPERATURE, 0, 0)).isEqualTo(0.5);
        assertThat(l.getDouble(0, LabelLayout.LAMBDA, 1, 2)).isEqualTo(0.25);
    }

    @Test
    void objectsSharingACellTakeItsSlotsInInputOrder() {
        Box small = Box.ofCenter(20, 20, 4, 4);
        Box large = Box.ofCenter(24, 24, 10, 8);
        LabelEncoder.Encoded e = new LabelEncoder(CONFIG).encode(
                List.of(List.of(LabeledObject.of(small, 0), LabeledObject.of(large, 1))), SCHEDULE, DataType.DOUBLE);

        assertThat(e.encoded()).isEqualTo(2);
        assertThat(e.dropped()).isZero();
        INDArray l = e.labels();
        assertThat(l.getDouble(0, slot(0, LabelLayout.LOG_W), 1, 1)).isCloseTo(Math.log(4.0 / 16), within(1e-12));
        assertThat(l.getDouble(0, slot(0, LabelLayout.CLASS_0), 1, 1)).isEqualTo(1);
        assertThat(l.getDouble(0, slot(1, LabelLayout.LOG_W), 1, 1)).isCloseTo(Math.log(10.0 / 16), within(1e-12));
        assertThat(l.getDouble(0, slot(1, LabelLayout.OFFSET_X), 1, 1)).isCloseTo(0.5, within(1e-12));
        assertThat(l.getDouble(0, slot(1, LabelLayout.CLASS_0 + 1), 1, 1)).isEqualTo(1);
        assertThat(l.getDouble(0, slot(2, LabelLayout.PRESENT), 1, 1)).isZero();
    }

    @Test
    void beyondASlotsTheEarliestObjectsOfACellAreDroppedAndCounted() {
        // 7 objects in cell (0, 0) of 16 px, widths 1..7 px; A = 5 slots keep the last five (widths 3..7)
        List<LabeledObject> objects = new java.util.ArrayList<>();
        for (int j = 1; j <= 7; j++) {
            objects.add(LabeledObject.of(Box.ofCenter(8, 8, j, 2), 0));
        }
        objects.add(LabeledObject.of(Box.ofCenter(40, 40, 5, 5), 1));

        LabelEncoder.Encoded e = new LabelEncoder(CONFIG).encode(List.of(objects), SCHEDULE, DataType.DOUBLE);

        assertThat(e.encoded()).isEqualTo(6);
        assertThat(e.dropped()).isEqualTo(2);
        for (int k = 0; k < 5; k++) {
            assertThat(e.labels().getDouble(0, slot(k, LabelLayout.LOG_W), 0, 0)).isCloseTo(Math.log((k + 3) / 16.0), within(1e-12));
        }
        assertThat(e.labels().getDouble(0, slot(0, LabelLayout.PRESENT), 2, 2)).isEqualTo(1);
    }

    @Test
    void difficultAndCrowdObjectsAreNotTrainingTargetsButAreCounted() {
        // a plain object in cell (0, 0), a difficult one in cell (1, 1), a crowd region in cell (2, 2), a difficult
        // crowd in cell (3, 3): only the plain one is labelled (YOLOv2's VOC labels leave difficult objects out)
        List<LabeledObject> objects = List.of(
                LabeledObject.of(Box.ofCenter(8, 8, 6, 6), 0),
                new LabeledObject(Box.ofCenter(24, 24, 6, 6), 1, true, false, 36),
                new LabeledObject(Box.ofCenter(40, 40, 12, 12), 2, false, true, 100),
                new LabeledObject(Box.ofCenter(56, 56, 6, 6), 0, true, true, 36));

        LabelEncoder.Encoded e = new LabelEncoder(CONFIG).encode(List.of(objects), SCHEDULE, DataType.DOUBLE);

        assertThat(e.encoded()).isEqualTo(1);
        assertThat(e.ignored()).isEqualTo(3);
        assertThat(e.dropped()).isZero();
        double present = 0;
        for (int k = 0; k < 5; k++) {
            present += e.labels().get(NDArrayIndex.point(0), NDArrayIndex.point(slot(k, LabelLayout.PRESENT))).sumNumber().doubleValue();
        }
        assertThat(present).isEqualTo(1);
        assertThat(e.labels().getDouble(0, slot(0, LabelLayout.PRESENT), 0, 0)).isEqualTo(1);
        // an ignored object is still checked: a bad class or box is an error, not silently skipped
        assertThatThrownBy(() -> new LabelEncoder(CONFIG).encode(List.of(List.of(
                new LabeledObject(new Box(1, 1, 5, 5), 3, true, false, 16))), SCHEDULE, DataType.FLOAT))
                .hasMessageContaining("classId 3");
    }

    @Test
    void rejectsUnknownClassesAndBoxesOutsideTheInput() {
        LabelEncoder enc = new LabelEncoder(CONFIG);
        assertThatThrownBy(() -> enc.encode(List.of(List.of(LabeledObject.of(new Box(1, 1, 5, 5), 3))), SCHEDULE, DataType.FLOAT))
                .hasMessageContaining("classId 3");
        assertThatThrownBy(() -> enc.encode(List.of(List.of(LabeledObject.of(new Box(60, 1, 70, 5), 0))), SCHEDULE, DataType.FLOAT))
                .hasMessageContaining("outside");
    }
}
