package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class CheckpointTest {

    private static final DetectorConfig CONFIG = TinyNets.trainingConfig();
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(8, 6), new Shape(20, 28)), 64);

    @TempDir
    Path dir;

    private static ComputationGraph trainedNet() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
        Random rng = new Random(8);
        for (int i = 0; i < 3; i++) {
            List<TinyNets.Scene> s = TinyNets.squares(8, 64, 8, 28, rng);
            net.fit(new DataSet(InputEncoder.encode(TinyNets.images(s), 64, DataType.FLOAT),
                    new LabelEncoder(CONFIG).encode(TinyNets.objects(s), LossSchedule.HARD, DataType.FLOAT).labels()));
        }
        return net;
    }

    @Test
    void roundTripRestoresParametersAnchorsUpdaterConfigStepAndOutputsExactly() throws IOException {
        ComputationGraph net = trainedNet();
        Path file = dir.resolve("model.zip");
        Checkpoint.write(file, net, CONFIG, 1234, true);

        Checkpoint.Loaded back = Checkpoint.read(file, true);

        assertThat(back.step()).isEqualTo(1234);
        assertThat(back.config()).isEqualTo(CONFIG);
        assertThat(back.net().params().equals(net.params())).isTrue();
        assertThat(back.net().getUpdater().getStateViewArray().equals(net.getUpdater().getStateViewArray())).isTrue();
        assertThat(back.anchors()).isEqualTo(DetectorGraph.anchors(net, CONFIG));
        assertThat(back.anchors()).isNotEqualTo(ANCHORS);                          // they did train
        INDArray x = InputEncoder.encode(TinyNets.images(TinyNets.squares(2, 64, 8, 28, new Random(1))), 64, DataType.FLOAT);
        assertThat(back.net().outputSingle(false, x).equals(net.outputSingle(false, x))).isTrue();

        Checkpoint.Meta meta = Checkpoint.readMeta(file);
        assertThat(meta.formatVersion()).isEqualTo(Checkpoint.FORMAT_VERSION);
        assertThat(meta.inputSize()).isEqualTo(64);
        assertThat(meta.numClasses()).isEqualTo(1);
        assertThat(meta.anchorWidthsPx()).containsExactly(back.anchors().shapes().stream().mapToDouble(Shape::w).toArray());
    }

    @Test
    void truncatedFileFailsWithAClearMessage() throws IOException {
        Path file = dir.resolve("model.zip");
        Checkpoint.write(file, trainedNet(), CONFIG, 1, false);
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));

        assertThatThrownBy(() -> Checkpoint.read(cut, false))
                .isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageContaining("cut.zip").hasMessageContaining("truncated or corrupt");
    }

    @Test
    void aPlainDl4jZipIsRejectedAsNotAnAboCheckpoint() throws IOException {
        Path file = dir.resolve("plain.zip");
        ModelSerializer.writeModel(DetectorGraph.build(CONFIG, ANCHORS), file.toFile(), false);

        assertThatThrownBy(() -> Checkpoint.read(file, false))
                .isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageContaining(Checkpoint.ENTRY);
    }
}
