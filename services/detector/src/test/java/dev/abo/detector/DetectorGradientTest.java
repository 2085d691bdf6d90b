package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.assign.Assignment;
import dev.abo.core.assign.AssignmentDistance;
import dev.abo.core.assign.AssignmentPolicy;
import dev.abo.core.assign.GtAssignment;
import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Scaling;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import dev.abo.core.grad.ClusteringLoss;
import dev.abo.core.grad.LossGradient;
import dev.abo.core.grad.WhLoss;
import dev.abo.core.grad.WhResidual;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.synth.HeadsScenes;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss gradients of the whole graph: DL4J's finite-difference GradientCheckUtil over every
 * parameter (anchors included), and the network's anchor gradient against core's analytical
 * WhLoss / ClusteringLoss (paper Eq. 8-9, 11-12) with core's assignment (AssignmentPolicy, and
 * Assignment.slotOwners for the collisions of hard assignment).
 */
class DetectorGradientTest {

    private static final DetectorConfig CONFIG = TinyNets.gradientCheckConfig();
    /** Anchors in pixels of the 16x16 input (stride 4): a wide and a tall one. */
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(6, 3.5), new Shape(3, 7)), 16);

    /**
     * Objects (pixels) of 3 images, grid 4x4 of 4 px cells. Image 0: a wide and a tall box in cell (1, 0), so
     * both anchors of that cell own one; a tall box in cell (2, 2). Image 1: one tall box. Image 2: two wide
     * boxes in cell (0, 3), a collision on the wide anchor that the later one wins, and a wide box in cell (3, 0).
     */
    private static final List<List<LabeledObject>> OBJECTS = List.of(
            List.of(LabeledObject.of(new Box(1, 2, 8, 5), 0), LabeledObject.of(new Box(4, 0, 7, 7), 1),
                    LabeledObject.of(new Box(9.5, 8, 12.5, 15), 1)),
            List.of(LabeledObject.of(new Box(5, 5, 9, 12), 1)),
            List.of(LabeledObject.of(new Box(0.5, 10, 6.5, 14.5), 0), LabeledObject.of(new Box(0, 11, 7, 14), 1),
                    LabeledObject.of(new Box(10, 1, 15, 4), 0)));

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray input(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, OBJECTS.size(), 3, 16, 16);
    }

    @Test
    void theFixtureHasSharedCellsAndACollision() {
        // centres: (4.5, 3.5) and (5.5, 3.5) -> cell (1, 0); (3.5, 12.25) and (3.5, 12.5) -> cell (0, 3)
        Assignment image0 = AssignmentPolicy.hard().assign(boxes(OBJECTS.get(0)), ANCHORS, 4, 4);
        Assignment image2 = AssignmentPolicy.hard().assign(boxes(OBJECTS.get(2)), ANCHORS, 4, 4);
        assertThat(image0.entries().get(0).anchor()).isZero();
        assertThat(image0.entries().get(1).anchor()).isOne();
        assertThat(image0.slotOwners()).hasSize(3);
        assertThat(image2.slotOwners()).extracting(GtAssignment::gtIndex).containsExactly(1, 2);
    }

    @Test
    void finiteDifferencesAgreeWithBackpropForEveryParameterIncludingTheAnchors() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS, DetectorGraph.Updaters.none());
        // hard assignment (with the collision) and the clustering term. Not soft: its weights depend on the anchors
        // and are constants for back-propagation (paper: delta fixed first), which finite differences cannot mimic;
        // the soft paths' anchor gradients are checked against core below
        INDArray labels = new LabelEncoder(CONFIG).encode(OBJECTS, new LossSchedule(0, 1, 0.5), DataType.DOUBLE).labels();
        Set<String> exclude = new HashSet<>();
        for (String p : net.paramTable().keySet()) {
            if (p.endsWith("_mean") || p.endsWith("_var") || p.endsWith("_log10stdev")) {
                exclude.add(p);          // BN running statistics: not trained by gradient
            }
        }
        assertThat(net.paramTable()).containsKeys("yolo_sw", "yolo_sh", "bn_wh_gamma", "bn_wh_beta");

        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {input(7)}).labels(new INDArray[] {labels})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)
                .excludeParams(exclude));

        assertThat(ok).isTrue();
    }

    @Test
    void anchorGradientEqualsCoreWhLossUnderHardAssignmentWithCollisions() {
        checkAnchorGradientAgainstCore(CONFIG, ANCHORS, input(11), OBJECTS, new LossSchedule(0, 1, 0));
    }

    @Test
    void anchorGradientEqualsCoreWhLossPlusClusteringUnderSoftAssignment() {
        checkAnchorGradientAgainstCore(CONFIG, ANCHORS, input(11), OBJECTS, new LossSchedule(1, 0.3, 0.7));
    }

    @Test
    void anchorGradientEqualsCoreForAMixedAssignment() {
        checkAnchorGradientAgainstCore(CONFIG, ANCHORS, input(13), OBJECTS, new LossSchedule(0.25, 1.5, 1));
    }

    /**
     * The IoU objectness target and the ignore mask depend on the predicted boxes, hence on the anchors; both
     * must be constants for back-propagation (YOLOv2's rescore, and the paper's Eq. 9 has no such term). A
     * finite-difference check cannot see that (it differentiates through them), so: with the IoU target and
     * ignore threshold 0.3 the anchor gradient must still be exactly Eq. 9 + Eq. 12.
     */
    @Test
    void iouObjectnessTargetAndIgnoreMaskSendNoGradientIntoTheAnchors() {
        DetectorConfig iou = CONFIG.withObjectness(DetectorConfig.ObjectnessTarget.IOU, 0.3);
        checkAnchorGradientAgainstCore(iou, ANCHORS, input(11), OBJECTS, new LossSchedule(0, 1, 0.5));
    }

    /**
     * A real batch: 4 synthetic:heads frames (12-17 heads each) with the training augmentation, the default
     * network (IoU target, ignore 0.6, 5 anchors, BN without shift) at 96 px, k-means anchors of the batch;
     * several heads share cells and anchors. The anchor gradient is Eq. 9 + Eq. 12, nothing else.
     */
    @Test
    void onARealHeadsBatchTheAnchorGradientIsExactlyEq9PlusEq12() {
        int size = 96;
        DetectorConfig config = DetectorConfig.defaults(size, 1).withPrecision(DetectorConfig.Precision.DOUBLE);
        SyntheticSampleSource source = SyntheticSampleSource.augmented(new HeadsScenes(3),
                new Augmenter(AugmentConfig.yolov2(size, size).withScaling(Scaling.FIT)), 3, 0);
        List<RgbImage> images = new ArrayList<>();
        List<List<LabeledObject>> objects = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TrainingSample s = source.sample(i);
            images.add(s.image());
            objects.add(s.objects());
            s.objects().forEach(o -> {
                w.add(o.box().width());
                h.add(o.box().height());
            });
        }
        AnchorSet anchors = new AnchorKMeans().fit(w.stream().mapToDouble(Double::doubleValue).toArray(),
                h.stream().mapToDouble(Double::doubleValue).toArray(), 5, 1, new SplittableRandom(1)).anchors(size, size);
        INDArray in = InputEncoder.encode(images, size, DataType.DOUBLE);

        int shared = 0;
        for (List<LabeledObject> img : objects) {
            Assignment a = AssignmentPolicy.hard().assign(boxes(img), anchors, config.gridSize(), config.gridSize());
            shared += a.entries().size() - a.slotOwners().size();
        }
        assertThat(w.size()).as("heads in the batch").isGreaterThan(40);
        assertThat(shared).as("collisions on a (cell, anchor)").isPositive();

        checkAnchorGradientAgainstCore(config, anchors, in, objects, new LossSchedule(0, 1, 1));
        checkAnchorGradientAgainstCore(config, anchors, in, objects, new LossSchedule(1, 2, 1));
    }

    private static List<Box> boxes(List<LabeledObject> objects) {
        return objects.stream().map(LabeledObject::box).toList();
    }

    /**
     * dL/ds from the network's backprop (the raw, un-averaged gradient of the summed loss) must equal
     * WhLoss'(Eq. 3) + B * ClusteringLoss'(Eq. 11) computed by core from the network's own tw, th at the
     * ground truths' cells, with weights {@code (1 - alpha) owner + alpha soft}: owner from core's hard
     * Assignment.slotOwners (the later box of a (cell, anchor) collision), soft from AssignmentPolicy.soft.
     * Anchors and gts are in pixels on the core side and log grid units in the layer: gradients are the same.
     */
    private static void checkAnchorGradientAgainstCore(DetectorConfig config, AnchorSet initial, INDArray in,
                                                       List<List<LabeledObject>> objects, LossSchedule schedule) {
        ComputationGraph net = DetectorGraph.build(config, initial, DetectorGraph.Updaters.none());
        LabelEncoder.Encoded enc = new LabelEncoder(config).encode(objects, schedule, DataType.DOUBLE);
        assertThat(enc.dropped()).as("no cell has more than A objects here").isZero();
        net.setInputs(in);
        net.setLabels(enc.labels());
        net.computeGradientAndScore();
        double[] networkW = net.gradient().getGradientFor("yolo_sw").toDoubleVector();
        double[] networkH = net.gradient().getGradientFor("yolo_sh").toDoubleVector();

        INDArray wh = net.feedForward(new INDArray[] {in}, true).get(DetectorGraph.BN_WH);   // [B, 2A, S, S]
        AnchorSet anchors = DetectorGraph.anchors(net, config);
        AssignmentPolicy soft = AssignmentPolicy.soft(AssignmentDistance.IOU, schedule.temperature());
        double alpha = schedule.softWeight();
        List<WhResidual> terms = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            List<LabeledObject> img = objects.get(i);
            Assignment hard = AssignmentPolicy.hard().assign(boxes(img), anchors, config.gridSize(), config.gridSize());
            Map<Integer, Integer> ownedAnchor = new HashMap<>();
            for (GtAssignment o : hard.slotOwners()) {
                ownedAnchor.put(o.gtIndex(), o.anchor());
            }
            for (GtAssignment e : hard.entries()) {
                Box box = img.get(e.gtIndex()).box();
                double[] s = soft.weights(box.shape(), anchors);
                for (int k = 0; k < anchors.size(); k++) {
                    double owner = ownedAnchor.getOrDefault(e.gtIndex(), -1) == k ? 1 : 0;
                    terms.add(new WhResidual(k, (1 - alpha) * owner + alpha * s[k], wh.getDouble(i, 2 * k, e.cellY(), e.cellX()),
                            wh.getDouble(i, 2 * k + 1, e.cellY(), e.cellX()), Math.log(box.width()), Math.log(box.height())));
                }
            }
        }
        LossGradient whLoss = WhLoss.evaluate(config.lambdaCoord(), terms, anchors.logWidths(), anchors.logHeights());
        LossGradient clu = ClusteringLoss.evaluate(schedule.lambda(), terms, anchors.logWidths(), anchors.logHeights());
        int batch = objects.size();
        double largest = 0;
        for (int k = 0; k < anchors.size(); k++) {
            double expectW = whLoss.dLogW()[k] + batch * clu.dLogW()[k];
            double expectH = whLoss.dLogH()[k] + batch * clu.dLogH()[k];
            assertThat(Math.abs(networkW[k] - expectW)).as("dL/dsw[%d] network %s vs core %s", k, networkW[k], expectW)
                    .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(expectW)));
            assertThat(Math.abs(networkH[k] - expectH)).as("dL/dsh[%d] network %s vs core %s", k, networkH[k], expectH)
                    .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(expectH)));
            largest = Math.max(largest, Math.max(Math.abs(expectW), Math.abs(expectH)));
        }
        assertThat(largest).as("the check is not vacuous").isGreaterThan(1e-3);
    }
}
