package dev.abo.detector;

import java.util.List;
import java.util.Random;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Manual training-step timing (not a test): {@code java -cp ... dev.abo.detector.StepBenchmark <inputSize>
 * <batch> <steps> <c1,c2,...>}. Run once with {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false}
 * and once without to see the helpers' effect; set OMP_NUM_THREADS.
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    public static void main(String[] args) {
        int size = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        List<Integer> channels = java.util.Arrays.stream(args[3].split(",")).map(Integer::valueOf).toList();
        DetectorConfig config = DetectorConfig.defaults(size, 1).withBackbone(channels);
        double side = size / 4.0;
        ComputationGraph net = DetectorGraph.build(config, AnchorSet.of(
                java.util.Collections.nCopies(config.numAnchors(), new Shape(side, side)), size));
        Random rng = new Random(1);
        List<TinyNets.Scene> s = TinyNets.squares(batch, size, size / 8.0, size / 3.0, rng);
        DataSet ds = new DataSet(InputEncoder.encode(TinyNets.images(s), size, DataType.FLOAT),
                new LabelEncoder(config).encode(TinyNets.objects(s), LossSchedule.HARD, DataType.FLOAT).labels());
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(ds);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("RESULT size=%d batch=%d channels=%s helpers=%s omp=%s: %.1f ms/step%n", size, batch, channels,
                Nd4jSetup.helpersEnabled(), System.getenv("OMP_NUM_THREADS"), ms);
    }
}
