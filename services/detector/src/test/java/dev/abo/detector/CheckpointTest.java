package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

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

    /**
     * {@code samediff-layer-checkpoint.zip} was written (with Adam state, after 3 warm-up steps: soft assignment and
     * clustering) by the SameDiff output layer this project used until 2026-11, for DetectorConfig.defaults(16, 2)
     * with backbone 3-4-4 and 2 anchors, classes "small" and "large". It must load into the analytic layer with the
     * same anchors and anchor updater, and then behave as the old layer would: the same score and outputs, and one
     * more training step (Adam state and iteration count included) must give the same parameters as the
     * reference SameDiff layer stepping from the same state.
     */
    @Test
    void aCheckpointOfTheSameDiffLayerLoadsAndKeepsTrainingAsItWould() throws Exception {
        Path file = dir.resolve("old.zip");
        try (InputStream in = CheckpointTest.class.getResourceAsStream("samediff-layer-checkpoint.zip")) {
            Files.copy(in, file);
        }
        Checkpoint.Loaded old = Checkpoint.read(file, true);
        DetectorConfig config = old.config();
        AnchorYoloOutputLayer layer = (AnchorYoloOutputLayer) old.net().getLayer(DetectorGraph.OUTPUT).conf().getLayer();
        assertThat(layer.getAnchorUpdater()).isEqualTo(new Adam(config.anchorLearningRate()));   // read from "biasUpdater"
        assertThat(old.classNames()).containsExactly("small", "large");
        assertThat(old.step()).isEqualTo(3);
        assertThat(old.anchors().get(0).w()).isNotCloseTo(6, within(0.01));    // they trained from 6 x 3.5

        ComputationGraph reference = SameDiffAnchorYoloOutputLayer.detectorGraph(config, old.anchors(),
                DetectorGraph.Updaters.of(config));
        reference.setParams(old.net().params());
        INDArray state = old.net().getUpdater().getStateViewArray();
        assertThat(reference.getUpdater().getStateViewArray().length()).isEqualTo(state.length());
        reference.getUpdater().getStateViewArray().assign(state);
        reference.getConfiguration().setIterationCount(old.net().getConfiguration().getIterationCount());
        assertThat(DetectorGraph.anchors(reference, config)).isEqualTo(old.anchors());

        List<TinyNets.Scene> s = TinyNets.squares(4, 16, 3, 9, new Random(6));
        DataSet batch = new DataSet(InputEncoder.encode(TinyNets.images(s), 16, DataType.FLOAT),
                new LabelEncoder(config).encode(TinyNets.objects(s), new LossSchedule(1, 2, 1), DataType.FLOAT).labels());
        assertThat(old.net().score(batch, true)).isCloseTo(reference.score(batch, true), within(1e-5));
        assertThat(maxAbsDiff(old.net().outputSingle(false, batch.getFeatures()),
                reference.outputSingle(false, batch.getFeatures()))).isLessThan(1e-5);

        INDArray before = old.net().params().dup();
        old.net().fit(batch);
        reference.fit(batch);
        assertThat(maxAbsDiff(old.net().params(), before)).as("the step moved the parameters").isGreaterThan(1e-3);
        assertThat(maxAbsDiff(old.net().params(), reference.params())).isLessThan(1e-5);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
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

    @Test
    void classNamesRoundTripAndAVersionOneFileWithoutThemGetsDefaultNames() throws IOException {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);
        Path named = dir.resolve("named.zip");
        Checkpoint.write(named, net, CONFIG, 7, false, List.of("square"));

        assertThat(Checkpoint.read(named, false).classNames()).containsExactly("square");
        assertThat(Checkpoint.readMeta(named).formatVersion()).isEqualTo(2);

        // a version-1 checkpoint: the metadata entry as format 1 wrote it (no classNames field)
        Path old = dir.resolve("v1.zip");
        Checkpoint.write(old, net, CONFIG, 7, false);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + old.toAbsolutePath().toUri()), Map.of())) {
            Path entry = zip.getPath(Checkpoint.ENTRY);
            ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Files.readString(entry));
            json.remove("classNames");
            json.put("formatVersion", 1);
            Files.writeString(entry, json.toString());
        }

        Checkpoint.Loaded v1 = Checkpoint.read(old, false);
        assertThat(v1.classNames()).containsExactly("class0");
        assertThat(v1.step()).isEqualTo(7);
        assertThat(v1.config()).isEqualTo(CONFIG);
    }

    @Test
    void classNamesMustMatchTheNumberOfClasses() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS);

        assertThatThrownBy(() -> Checkpoint.write(dir.resolve("x.zip"), net, CONFIG, 1, false, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 classes but 2 class names");
    }
}
