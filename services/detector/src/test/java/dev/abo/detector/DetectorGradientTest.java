package dev.abo.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.assign.AssignmentDistance;
import dev.abo.core.assign.AssignmentPolicy;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.BoxCodec;
import dev.abo.core.geometry.GridCell;
import dev.abo.core.geometry.Shape;
import dev.abo.core.grad.ClusteringLoss;
import dev.abo.core.grad.LossGradient;
import dev.abo.core.grad.WhLoss;
import dev.abo.core.grad.WhResidual;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss gradients of the whole graph: DL4J's finite-difference GradientCheckUtil over every
 * parameter (anchors included), and the anchor gradient from autodiff against core's analytical
 * WhLoss / ClusteringLoss (paper Eq. 8-9, 11-12).
 */
class DetectorGradientTest {

    private static final DetectorConfig CONFIG = TinyNets.gradientCheckConfig();
    /** Anchors in pixels of the 16x16 input (stride 4): a wide and a tall one. */
    private static final AnchorSet ANCHORS = AnchorSet.of(List.of(new Shape(6, 3.5), new Shape(3, 7)), 16);

    /** Objects (pixels) of 3 images: wide, tall, square-ish; two per image in different cells. */
    private static final List<List<LabeledObject>> OBJECTS = List.of(
            List.of(LabeledObject.of(new Box(1, 2, 8, 5), 0), LabeledObject.of(new Box(9.5, 8, 12.5, 15), 1)),
            List.of(LabeledObject.of(new Box(5, 5, 9, 12), 1)),
            List.of(LabeledObject.of(new Box(0.5, 10, 6.5, 14.5), 0), LabeledObject.of(new Box(10, 1, 15, 4), 0)));

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray input(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, OBJECTS.size(), 3, 16, 16);
    }

    @Test
    void finiteDifferencesAgreeWithBackpropForEveryParameterIncludingTheAnchors() {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS, DetectorGraph.Updaters.none());
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
    void anchorGradientEqualsCoreWhLossUnderHardAssignment() {
        checkAnchorGradientAgainstCore(new LossSchedule(0, 1, 0), AssignmentPolicy.hard());
    }

    @Test
    void anchorGradientEqualsCoreWhLossPlusClusteringUnderSoftAssignment() {
        double t = 0.3;
        checkAnchorGradientAgainstCore(new LossSchedule(1, t, 0.7), AssignmentPolicy.soft(AssignmentDistance.IOU, t));
    }

    /**
     * dL/ds from DL4J autodiff (the raw, un-averaged gradient of the summed loss) must equal
     * WhLoss'(Eq. 3) + B * ClusteringLoss'(Eq. 11) computed by core from the network's own tw, th at
     * the assigned cells, with the assignment weights from core's AssignmentPolicy. Anchors and gts are
     * in pixels on the core side and log grid units in the layer: gradients are the same.
     */
    private static void checkAnchorGradientAgainstCore(LossSchedule schedule, AssignmentPolicy policy) {
        ComputationGraph net = DetectorGraph.build(CONFIG, ANCHORS, DetectorGraph.Updaters.none());
        INDArray in = input(11);
        INDArray labels = new LabelEncoder(CONFIG).encode(OBJECTS, schedule, DataType.DOUBLE).labels();
        net.setInputs(in);
        net.setLabels(labels);
        net.computeGradientAndScore();
        double[] autodiffW = net.gradient().getGradientFor("yolo_sw").toDoubleVector();
        double[] autodiffH = net.gradient().getGradientFor("yolo_sh").toDoubleVector();

        INDArray wh = net.feedForward(new INDArray[] {in}, true).get(DetectorGraph.BN_WH);   // [B, 2A, S, S]
        AnchorSet anchors = DetectorGraph.anchors(net, CONFIG);
        List<WhResidual> terms = new ArrayList<>();
        for (int i = 0; i < OBJECTS.size(); i++) {
            for (LabeledObject o : OBJECTS.get(i)) {
                GridCell cell = BoxCodec.cellOf(o.box(), CONFIG.stride(), CONFIG.gridSize(), CONFIG.gridSize());
                double[] r = policy.weights(o.box().shape(), anchors);
                for (int k = 0; k < anchors.size(); k++) {
                    terms.add(new WhResidual(k, r[k], wh.getDouble(i, 2 * k, cell.y(), cell.x()),
                            wh.getDouble(i, 2 * k + 1, cell.y(), cell.x()),
                            Math.log(o.box().width()), Math.log(o.box().height())));
                }
            }
        }
        LossGradient whLoss = WhLoss.evaluate(CONFIG.lambdaCoord(), terms, anchors.logWidths(), anchors.logHeights());
        LossGradient clu = ClusteringLoss.evaluate(schedule.lambda(), terms, anchors.logWidths(), anchors.logHeights());
        int batch = OBJECTS.size();
        for (int k = 0; k < anchors.size(); k++) {
            double expectW = whLoss.dLogW()[k] + batch * clu.dLogW()[k];
            double expectH = whLoss.dLogH()[k] + batch * clu.dLogH()[k];
            assertThat(Math.abs(autodiffW[k] - expectW)).as("dL/dsw[%d] autodiff %s vs core %s", k, autodiffW[k], expectW)
                    .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(expectW)));
            assertThat(Math.abs(autodiffH[k] - expectH)).as("dL/dsh[%d] autodiff %s vs core %s", k, autodiffH[k], expectH)
                    .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(expectH)));
            assertThat(Math.abs(expectW)).as("the check is not vacuous").isGreaterThan(1e-3);
        }
    }
}
