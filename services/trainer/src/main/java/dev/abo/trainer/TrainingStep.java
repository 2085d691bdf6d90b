package dev.abo.trainer;

import java.util.List;

import dev.abo.core.data.LabeledObject;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.LabelEncoder;
import dev.abo.detector.LossSchedule;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.LearningRates;
import dev.abo.detector.train.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One optimisation step on one batch, at a global step number: what the detector's offline {@code Trainer}
 * does per step, made of the same public pieces ({@link LossSchedule#at} for the warm-up values in the label
 * planes, {@link LabelEncoder}, {@link TrainingConfig#lrPolicy()} and {@link LearningRates#apply}, then
 * {@code net.fit}). The offline loop itself cannot be reused: it pulls sample {@code step * batch + j} from a
 * random-access source, while a stream delivers whole batches of any size in arrival order.
 *
 * <p>For the step policy the run length is {@code config.steps()}; steps past it keep the last rate.
 */
public final class TrainingStep {

    private final TrainingConfig config;
    private final LabelEncoder labels;

    public TrainingStep(TrainingConfig config) {
        this.config = config;
        this.labels = new LabelEncoder(config.detector());
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * What one step did.
     *
     * @param objects ground-truth objects in the batch
     * @param dropped objects left out of the loss as a second object of a cell ({@link LabelEncoder.Encoded#dropped})
     * @param ignored VOC-difficult objects and COCO crowd regions, not training targets
     *                ({@link LabelEncoder.Encoded#ignored})
     */
    public record Result(long step, double loss, double networkLr, double anchorLr, List<AnchorPx> anchors,
                         int objects, int dropped, int ignored) {
    }

    /**
     * Trains {@code net} on one batch as global step {@code step}.
     *
     * @param input   {@code [B, 3, S, S]} from {@code InputEncoder}
     * @param objects per image its boxes in input pixels
     */
    public Result run(ComputationGraph net, long step, INDArray input, List<List<LabeledObject>> objects) {
        DetectorConfig d = config.detector();
        LossSchedule schedule = LossSchedule.at(config.warmup(), step, d);
        LabelEncoder.Encoded enc = labels.encode(objects, schedule, DetectorGraph.dataType(d));
        double m = config.lrPolicy().multiplier(Math.min(step, config.steps() - 1), config.steps());
        double netLr = d.networkLearningRate() * m;
        double anchorLr = d.anchorMode() == DetectorConfig.AnchorMode.FIXED ? 0 : d.anchorLearningRate() * m;
        LearningRates.apply(net, d, netLr, anchorLr);
        net.fit(new DataSet(input, enc.labels()));
        int count = objects.stream().mapToInt(List::size).sum();
        return new Result(step, net.score(), netLr, anchorLr, AnchorPx.of(DetectorGraph.anchors(net, d)), count,
                enc.dropped(), enc.ignored());
    }
}
