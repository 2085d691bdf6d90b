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

class LabelEncoderTest {

    /** 64 px input, stride 16, grid 4x4, 3 classes. */
    private static final DetectorConfig CONFIG = DetectorConfig.defaults(64, 3);
    private static final LossSchedule SCHEDULE = new LossSchedule(1, 0.5, 0.25);

    @Test
    void writesOffsetsLogSizesInGridUnitsClassAndSchedulePlanes() {
        // centre (26, 40) px -> cell (1, 2), offsets (26/16 - 1, 40/16 - 2) = (0.625, 0.5); size 12x24 px = 0.75x1.5 cells
        Box box = Box.ofCenter(26, 40, 12, 24);
        INDArray l = new LabelEncoder(CONFIG).encode(List.of(List.of(LabeledObject.of(box, 2))), SCHEDULE, DataType.DOUBLE).labels();

        assertThat(l.shape()).containsExactly(1, 11, 4, 4);
        assertThat(l.getDouble(0, LabelLayout.PRESENT, 2, 1)).isEqualTo(1);
        assertThat(l.getDouble(0, LabelLayout.OFFSET_X, 2, 1)).isCloseTo(0.625, within(1e-12));
        assertThat(l.getDouble(0, LabelLayout.OFFSET_Y, 2, 1)).isCloseTo(0.5, within(1e-12));
        assertThat(l.getDouble(0, LabelLayout.LOG_W, 2, 1)).isCloseTo(Math.log(0.75), within(1e-12));
        assertThat(l.getDouble(0, LabelLayout.LOG_H, 2, 1)).isCloseTo(Math.log(1.5), within(1e-12));
        assertThat(l.getDouble(0, LabelLayout.CLASS_0 + 2, 2, 1)).isEqualTo(1);
        assertThat(l.getDouble(0, LabelLayout.CLASS_0, 2, 1)).isEqualTo(0);
        // every other cell is empty, the schedule is in every cell
        assertThat(l.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .sumNumber().doubleValue()).isEqualTo(1);
        assertThat(l.getDouble(0, LabelLayout.SOFT_WEIGHT, 3, 3)).isEqualTo(1);
        assertThat(l.getDouble(0, LabelLayout.TEMPERATURE, 0, 0)).isEqualTo(0.5);
        assertThat(l.getDouble(0, LabelLayout.LAMBDA, 1, 2)).isEqualTo(0.25);
    }

    @Test
    void secondObjectInACellKeepsTheLargerBoxAndCountsTheDrop() {
        Box small = Box.ofCenter(20, 20, 4, 4);
        Box large = Box.ofCenter(24, 24, 10, 8);
        LabelEncoder enc = new LabelEncoder(CONFIG);
        for (List<LabeledObject> order : List.of(List.of(LabeledObject.of(small, 0), LabeledObject.of(large, 1)),
                List.of(LabeledObject.of(large, 1), LabeledObject.of(small, 0)))) {
            LabelEncoder.Encoded e = enc.encode(List.of(order), SCHEDULE, DataType.DOUBLE);
            assertThat(e.encoded()).isEqualTo(1);
            assertThat(e.dropped()).isEqualTo(1);
            assertThat(e.labels().getDouble(0, LabelLayout.LOG_W, 1, 1)).isCloseTo(Math.log(10.0 / 16), within(1e-12));
            assertThat(e.labels().getDouble(0, LabelLayout.CLASS_0 + 1, 1, 1)).isEqualTo(1);
            assertThat(e.labels().getDouble(0, LabelLayout.CLASS_0, 1, 1)).isEqualTo(0);
        }
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
