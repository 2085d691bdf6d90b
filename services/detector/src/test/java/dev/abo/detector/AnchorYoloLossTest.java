package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.assign.AssignmentPolicy;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.BoxCodec;
import dev.abo.core.geometry.Shape;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The analytic loss ({@link AnchorYoloLoss} through the DL4J layer {@link AnchorYoloOutputLayer}) against the
 * reference: the same loss as a SameDiff graph with autodiff gradients ({@link SameDiffAnchorYoloOutputLayer}),
 * on random head outputs and random labels with up to A ground truths per cell (so shared cells and collisions),
 * in hard, soft and mixed assignment, both objectness targets, 1 to 5 anchors and 1 to 4 classes; plus central
 * finite differences on a tiny case, and the per-example scores against a hand formula. All in DOUBLE.
 */
class AnchorYoloLossTest {

    /** Largest relative difference allowed between the analytic and the reference values. */
    private static final double REL = 1e-6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** One comparison: the head's shape, the warm-up planes and the objectness settings. */
    record Case(String name, int anchors, int classes, int grid, int batch, LossSchedule schedule,
                DetectorConfig.ObjectnessTarget target, double ignore, long seed) {
        /** A config whose loss-relevant fields are this case's (the default backbone, stride 16). */
        DetectorConfig config() {
            return DetectorConfig.defaults(16 * grid, classes)
                    .withAnchors(anchors, DetectorConfig.AnchorMode.LEARNED).withObjectness(target, ignore)
                    .withPrecision(DetectorConfig.Precision.DOUBLE);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("hard, IoU target, ignore 0.3, clustering", 3, 3, 4, 3, new LossSchedule(0, 1, 0.5),
                        DetectorConfig.ObjectnessTarget.IOU, 0.3, 1),
                new Case("soft (warm-up), target 1, one class", 2, 1, 3, 2, new LossSchedule(1, 0.5, 1),
                        DetectorConfig.ObjectnessTarget.ONE, 0.6, 2),
                new Case("mixed alpha 0.3, 5 anchors, IoU target", 5, 2, 5, 4, new LossSchedule(0.3, 2, 0.7),
                        DetectorConfig.ObjectnessTarget.IOU, 0.5, 3),
                new Case("hard, one anchor, no clustering", 1, 4, 2, 3, new LossSchedule(0, 1, 0),
                        DetectorConfig.ObjectnessTarget.ONE, 0.6, 4),
                new Case("paper warm-up T 2 on the default head", 5, 5, 4, 4, new LossSchedule(1, 2, 1),
                        DetectorConfig.ObjectnessTarget.IOU, 0.6, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndAllGradientsEqualTheSameDiffGraphAndItsAutodiff(Case c) {
        DetectorConfig config = c.config();
        Random rng = new Random(c.seed());
        double[] logW = randomLogAnchors(c.anchors(), rng);
        double[] logH = randomLogAnchors(c.anchors(), rng);
        INDArray x = randomHeadOutput(config, c.batch(), c.seed());
        INDArray labels = randomLabels(config, c.batch(), c.schedule(), logW, logH, rng);
        if (c.anchors() > 1) {
            assertThat(sharedCells(config, labels)).as("cells with several ground truths").isPositive();
            assertThat(collisions(config, labels, logW, logH)).as("(cell, anchor) collisions").isPositive();
        }

        Result analytic = evaluate(headOnly(new AnchorYoloOutputLayer(config, logW, logH, new NoOp()), config), x, labels);
        Result reference = evaluate(headOnly(new SameDiffAnchorYoloOutputLayer(config, logW, logH, new NoOp()), config),
                x, labels);

        assertClose("loss", new double[] {analytic.loss()}, new double[] {reference.loss()});
        assertClose("dL/dinput", analytic.dInput(), reference.dInput());
        assertClose("dL/dsw", analytic.dLogW(), reference.dLogW());
        assertClose("dL/dsh", analytic.dLogH(), reference.dLogH());
        assertThat(maxAbs(analytic.dLogW()) + maxAbs(analytic.dLogH())).as("anchor gradient not vacuous").isGreaterThan(1e-3);
    }

    /**
     * The whole detector (backbone, BN-without-shift branch, merge) with the analytic layer against the same
     * network with the reference layer and the same parameters: equal score and equal gradients of every
     * parameter, on 3 images of 4-7 random boxes each (shared cells) under the paper's warm-up labels.
     */
    @Test
    void theWholeDetectorHasTheReferenceScoreAndParameterGradients() {
        DetectorConfig config = TinyNets.gradientCheckConfig().withObjectness(DetectorConfig.ObjectnessTarget.IOU, 0.6);
        AnchorSet anchors = AnchorSet.of(List.of(new Shape(6, 3.5), new Shape(3, 7)), 16);
        ComputationGraph analytic = DetectorGraph.build(config, anchors, DetectorGraph.Updaters.none());
        ComputationGraph reference = SameDiffAnchorYoloOutputLayer.detectorGraph(config, anchors, DetectorGraph.Updaters.none());
        reference.setParams(analytic.params());
        Random rng = new Random(17);
        List<List<LabeledObject>> objects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<LabeledObject> image = new ArrayList<>();
            for (int j = 4 + rng.nextInt(4); j > 0; j--) {
                double w = 1.5 + 8 * rng.nextDouble();
                double h = 1.5 + 8 * rng.nextDouble();
                double x = rng.nextDouble() * (16 - w);
                double y = rng.nextDouble() * (16 - h);
                image.add(LabeledObject.of(new Box(x, y, x + w, y + h), rng.nextInt(2)));
            }
            objects.add(image);
        }
        LabelEncoder.Encoded labels = new LabelEncoder(config).encode(objects, new LossSchedule(1, 2, 1), DataType.DOUBLE);
        Nd4j.getRandom().setSeed(17);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 3, 3, 16, 16);
        assertThat(labels.encoded()).isGreaterThan(labels.dropped());

        double[] scores = new double[2];
        double[][] gradients = new double[2][];
        ComputationGraph[] nets = {analytic, reference};
        for (int n = 0; n < 2; n++) {
            nets[n].setInputs(images);
            nets[n].setLabels(labels.labels());
            nets[n].computeGradientAndScore();
            scores[n] = nets[n].score();
            gradients[n] = flat(nets[n].gradient().gradient());
        }

        assertClose("score", new double[] {scores[0]}, new double[] {scores[1]});
        assertClose("parameter gradients", gradients[0], gradients[1]);
        assertThat(maxAbs(gradients[0])).isGreaterThan(1e-3);
    }

    /**
     * Central differences of the loss with respect to every head output and both log-anchors, on a tiny case where
     * the assignment and the objectness target do not depend on the perturbed values: hard assignment (piecewise
     * constant in the anchors) and target 1, with the clustering term on. Under soft assignment only the inputs are
     * checked (the soft weights depend on the anchors but are constants for back-propagation, paper Sec. 3.2).
     */
    @Test
    void finiteDifferencesAgreeWithTheAnalyticGradients() {
        DetectorConfig config = new Case("tiny", 2, 2, 2, 2, LossSchedule.HARD, DetectorConfig.ObjectnessTarget.ONE, 0.6, 0)
                .config();
        Random rng = new Random(21);
        double[] logW = randomLogAnchors(2, rng);
        double[] logH = randomLogAnchors(2, rng);
        INDArray x = randomHeadOutput(config, 2, 21);
        AnchorYoloLoss loss = AnchorYoloLoss.of(config);

        for (LossSchedule schedule : new LossSchedule[] {new LossSchedule(0, 1, 0.5), new LossSchedule(1, 0.7, 0.5)}) {
            double[] labels = flat(randomLabels(config, 2, schedule, logW, logH, rng));
            double[] in = flat(x);
            AnchorYoloLoss.Evaluation e = loss.lossAndGradients(in, labels, 2, logW, logH);
            double h = 1e-6;
            double[] numeric = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                double keep = in[i];
                in[i] = keep + h;
                double up = loss.loss(in, labels, 2, logW, logH).total();
                in[i] = keep - h;
                double down = loss.loss(in, labels, 2, logW, logH).total();
                in[i] = keep;
                numeric[i] = (up - down) / (2 * h);
            }
            assertNumeric("dL/dinput " + schedule, e.dInput(), numeric);
            if (schedule.softWeight() == 0) {
                assertNumeric("dL/dsw", e.dLogW(), anchorDifferences(loss, in, labels, logW, logH, true, h));
                assertNumeric("dL/dsh", e.dLogH(), anchorDifferences(loss, in, labels, logW, logH, false, h));
            }
        }
    }

    /**
     * computeScoreForExamples: the per-image losses sum to B x computeScore, and an image without objects costs
     * exactly its no-object term {@code lambdaNoObj sum sigma(to)^2} (no clustering share, since its r is 0).
     */
    @Test
    void perExampleScoresSumToTheScoreAndAnEmptyImageCostsItsNoObjectTerm() {
        Case c = new Case("per example", 3, 2, 3, 3, new LossSchedule(0.5, 1, 1), DetectorConfig.ObjectnessTarget.IOU, 0.6, 9);
        DetectorConfig config = c.config();
        Random rng = new Random(9);
        double[] logW = randomLogAnchors(3, rng);
        double[] logH = randomLogAnchors(3, rng);
        INDArray x = randomHeadOutput(config, 3, 9);
        INDArray labels = randomLabels(config, 3, c.schedule(), logW, logH, rng);
        for (int j = 0; j < 3; j++) {                   // image 1: no objects
            labels.get(NDArrayIndex.point(1),
                    NDArrayIndex.point(LabelLayout.slotPlane(j, LabelLayout.PRESENT, 2))).assign(0);
        }
        Layer layer = headOnly(new AnchorYoloOutputLayer(config, logW, logH, new NoOp()), config).getLayer(DetectorGraph.OUTPUT);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, mgr);
        ((IOutputLayer) layer).setLabels(labels);

        double score = ((IOutputLayer) layer).computeScore(0.25, true, mgr);
        double[] perExample = ((IOutputLayer) layer).computeScoreForExamples(0.25, mgr).toDoubleVector();

        assertThat(perExample).hasSize(3);
        assertThat(perExample[0] + perExample[1] + perExample[2]).isCloseTo(3 * score + 2 * 0.25,
                offset(1e-12));
        double noObject = 0;
        for (int k = 0; k < 3; k++) {
            for (int cell = 0; cell < 9; cell++) {
                double po = BoxCodec.sigmoid(x.getDouble(1, k * (3 + 2) + 2, cell / 3, cell % 3));
                noObject += config.lambdaNoObj() * po * po;
            }
        }
        assertThat(perExample[1]).isCloseTo(noObject + 0.25, offset(1e-12));
    }

    // ---- fixtures

    /** log of sizes drawn from [0.4, 3] grid cells. */
    private static double[] randomLogAnchors(int a, Random rng) {
        double[] s = new double[a];
        for (int k = 0; k < a; k++) {
            s[k] = Math.log(0.4 + 2.6 * rng.nextDouble());
        }
        return s;
    }

    /** N(0, 1.5^2) head outputs {@code [B, A(3+C) + 2A, S, S]}. */
    private static INDArray randomHeadOutput(DetectorConfig config, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, batch, AnchorYoloLoss.of(config).inputChannels(), config.gridSize(),
                config.gridSize()).muli(1.5);
    }

    /**
     * Labels with the schedule's planes and, in 65% of the cells, 1 to A ground truths: centre offsets uniform in
     * [0, 1], log sizes within N(0, 0.6^2) of a random anchor's, random class.
     */
    private static INDArray randomLabels(DetectorConfig config, int batch, LossSchedule schedule, double[] logW,
                                         double[] logH, Random rng) {
        int a = config.numAnchors();
        int c = config.numClasses();
        int s = config.gridSize();
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch, LabelLayout.planes(c, a), s, s);
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    labels.putScalar(new long[] {b, LabelLayout.SOFT_WEIGHT, y, x}, schedule.softWeight());
                    labels.putScalar(new long[] {b, LabelLayout.TEMPERATURE, y, x}, schedule.temperature());
                    labels.putScalar(new long[] {b, LabelLayout.LAMBDA, y, x}, schedule.lambda());
                    int n = rng.nextDouble() < 0.35 ? 0 : 1 + rng.nextInt(a);
                    for (int j = 0; j < n; j++) {
                        int near = rng.nextInt(a);
                        put(labels, b, j, LabelLayout.PRESENT, c, y, x, 1);
                        put(labels, b, j, LabelLayout.OFFSET_X, c, y, x, rng.nextDouble());
                        put(labels, b, j, LabelLayout.OFFSET_Y, c, y, x, rng.nextDouble());
                        put(labels, b, j, LabelLayout.LOG_W, c, y, x, logW[near] + 0.6 * rng.nextGaussian());
                        put(labels, b, j, LabelLayout.LOG_H, c, y, x, logH[near] + 0.6 * rng.nextGaussian());
                        put(labels, b, j, LabelLayout.CLASS_0 + rng.nextInt(c), c, y, x, 1);
                    }
                }
            }
        }
        return labels;
    }

    private static void put(INDArray labels, int b, int slot, int field, int classes, int y, int x, double v) {
        labels.putScalar(new long[] {b, LabelLayout.slotPlane(slot, field, classes), y, x}, v);
    }

    private static int sharedCells(DetectorConfig config, INDArray labels) {
        int shared = 0;
        for (long[] cell : cells(labels)) {
            shared += present(config, labels, cell, 1) ? 1 : 0;
        }
        return shared;
    }

    /** Cells where two ground truths have the same best anchor (core's hard rule). */
    private static int collisions(DetectorConfig config, INDArray labels, double[] logW, double[] logH) {
        int a = config.numAnchors();
        int c = config.numClasses();
        double[] aw = new double[a];
        double[] ah = new double[a];
        for (int k = 0; k < a; k++) {
            aw[k] = Math.exp(logW[k]);
            ah[k] = Math.exp(logH[k]);
        }
        int collisions = 0;
        for (long[] cell : cells(labels)) {
            boolean[] taken = new boolean[a];
            boolean collided = false;
            for (int j = 0; j < a && present(config, labels, cell, j); j++) {
                int best = AssignmentPolicy.hard().responsibleAnchor(
                        Math.exp(labels.getDouble(cell[0], LabelLayout.slotPlane(j, LabelLayout.LOG_W, c), cell[1], cell[2])),
                        Math.exp(labels.getDouble(cell[0], LabelLayout.slotPlane(j, LabelLayout.LOG_H, c), cell[1], cell[2])),
                        aw, ah);
                collided |= taken[best];
                taken[best] = true;
            }
            collisions += collided ? 1 : 0;
        }
        return collisions;
    }

    private static boolean present(DetectorConfig config, INDArray labels, long[] cell, int slot) {
        return slot < config.numAnchors() && labels.getDouble(cell[0],
                LabelLayout.slotPlane(slot, LabelLayout.PRESENT, config.numClasses()), cell[1], cell[2]) != 0;
    }

    private static List<long[]> cells(INDArray labels) {
        List<long[]> out = new ArrayList<>();
        for (long b = 0; b < labels.size(0); b++) {
            for (long y = 0; y < labels.size(2); y++) {
                for (long x = 0; x < labels.size(3); x++) {
                    out.add(new long[] {b, y, x});
                }
            }
        }
        return out;
    }

    // ---- evaluation

    /** A network of just the output layer on a {@code [A(3+C) + 2A, S, S]} input, in DOUBLE, NoOp updater. */
    static ComputationGraph headOnly(org.deeplearning4j.nn.conf.layers.Layer output, DetectorConfig config) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new NoOp()).graphBuilder()
                .addInputs("head")
                .setInputTypes(InputType.convolutional(config.gridSize(), config.gridSize(),
                        AnchorYoloLoss.of(config).inputChannels()))
                .addLayer(DetectorGraph.OUTPUT, output, "head")
                .setOutputs(DetectorGraph.OUTPUT)
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    /** The summed loss and its gradients, through DL4J's layer API (what ComputationGraph.fit calls). */
    record Result(double loss, double[] dInput, double[] dLogW, double[] dLogH) {
    }

    static Result evaluate(ComputationGraph net, INDArray x, INDArray labels) {
        Layer layer = net.getLayer(DetectorGraph.OUTPUT);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, mgr);
        ((IOutputLayer) layer).setLabels(labels);
        double score = ((IOutputLayer) layer).computeScore(0, true, mgr);
        Pair<Gradient, INDArray> g = layer.backpropGradient(null, mgr);
        return new Result(score * x.size(0), flat(g.getSecond()),
                g.getFirst().getGradientFor(AnchorYoloOutputLayer.PARAM_LOG_W).toDoubleVector(),
                g.getFirst().getGradientFor(AnchorYoloOutputLayer.PARAM_LOG_H).toDoubleVector());
    }

    private static double[] anchorDifferences(AnchorYoloLoss loss, double[] in, double[] labels, double[] logW,
                                              double[] logH, boolean width, double h) {
        double[] s = width ? logW : logH;
        double[] out = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            double keep = s[k];
            s[k] = keep + h;
            double up = loss.loss(in, labels, 2, logW, logH).total();
            s[k] = keep - h;
            double down = loss.loss(in, labels, 2, logW, logH).total();
            s[k] = keep;
            out[k] = (up - down) / (2 * h);
        }
        return out;
    }

    private static double[] flat(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /** Element-wise {@code |a - b| <= REL max(|a|, |b|)}, with a 1e-13 floor for values that are both ~0. */
    private static void assertClose(String what, double[] actual, double[] expected) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.max(1e-7, Math.max(Math.abs(actual[i]), Math.abs(expected[i])));
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        assertThat(worst).as("%s: largest relative difference at %d: analytic %s vs reference %s", what, at,
                at < 0 ? 0 : actual[at], at < 0 ? 0 : expected[at]).isLessThanOrEqualTo(REL);
    }

    /** Finite differences: relative 1e-5 (DL4J GradientCheckUtil's usual bound), absolute floor 1e-8. */
    private static void assertNumeric(String what, double[] analytic, double[] numeric) {
        for (int i = 0; i < analytic.length; i++) {
            double tol = 1e-5 * Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])) + 1e-8;
            assertThat(Math.abs(analytic[i] - numeric[i])).as("%s[%d]: analytic %s vs numeric %s", what, i, analytic[i],
                    numeric[i]).isLessThanOrEqualTo(tol);
        }
    }
}
