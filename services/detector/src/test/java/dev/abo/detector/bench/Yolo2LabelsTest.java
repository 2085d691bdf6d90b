package dev.abo.detector.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.LabelEncoder;
import dev.abo.detector.LabelLayout;
import dev.abo.detector.LossSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class Yolo2LabelsTest {

    @Test
    void cornersInGridUnitsAndOneHotClassAtTheCentresCell() {
        // 64 px input, stride 16, grid 4x4, C = 3
        DetectorConfig config = DetectorConfig.defaults(64, 3);
        // box (10, 20)-(42, 36) px: centre (26, 28) px -> cell (x 1, y 1); corners / 16 = (0.625, 1.25)-(2.625, 2.25)
        List<List<LabeledObject>> objects = List.of(List.of(LabeledObject.of(new Box(10, 20, 42, 36), 2)), List.of());
        INDArray ours = new LabelEncoder(config).encode(objects, new LossSchedule(1, 2, 1), DataType.DOUBLE).labels();

        INDArray dl4j = Yolo2Labels.fromLabelLayout(ours, 3, config.numAnchors());

        assertThat(dl4j.shape()).containsExactly(2, 4 + 3, 4, 4);
        assertThat(dl4j.getDouble(0, 0, 1, 1)).isCloseTo(0.625, within(1e-12));
        assertThat(dl4j.getDouble(0, 1, 1, 1)).isCloseTo(1.25, within(1e-12));
        assertThat(dl4j.getDouble(0, 2, 1, 1)).isCloseTo(2.625, within(1e-12));
        assertThat(dl4j.getDouble(0, 3, 1, 1)).isCloseTo(2.25, within(1e-12));
        assertThat(dl4j.getDouble(0, 4, 1, 1)).isZero();
        assertThat(dl4j.getDouble(0, 5, 1, 1)).isZero();
        assertThat(dl4j.getDouble(0, 6, 1, 1)).isEqualTo(1.0);
        // nothing anywhere else (our schedule planes are not carried over), nothing in the empty image
        assertThat(dl4j.sumNumber().doubleValue()).isCloseTo(0.625 + 1.25 + 2.625 + 2.25 + 1, within(1e-12));
        // DL4J's "object present" mask (the sum of the class planes) is our first slot's PRESENT plane
        INDArray present = ours.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(LabelLayout.slotPlane(0, LabelLayout.PRESENT, 3)));
        INDArray classSum = dl4j.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 7)).sum(1);
        assertThat(classSum).isEqualTo(present);
    }
}
