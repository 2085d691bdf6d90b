package dev.abo.detector;

import java.util.List;

/**
 * Every hyperparameter of the detector in one place, with units and paper references (Zhong et al.,
 * "Anchor Box Optimization for Object Detection", WACV 2020; YOLOv2 = Redmon and Farhadi, YOLO9000).
 *
 * <p>The network input is a square of {@code inputSize} pixels. The backbone is a stack of
 * conv3x3-BN-leakyReLU blocks with the given output channels, each followed by a 2x2 max-pool except
 * the last, so the stride is {@code 2^(blocks-1)} input pixels per grid cell (16 for 5 blocks) and
 * the grid is {@code inputSize / stride} cells a side.
 *
 * @param inputSize           network input side in pixels; a multiple of the stride
 * @param backboneChannels    output channels of each backbone block, e.g. 16-32-64-128-128 (CPU-sized)
 * @param numAnchors          A, anchor shapes per cell (paper: 5)
 * @param numClasses          C, object classes ({@code >= 1}); 1 means no class term
 * @param lambdaCoord         weight of the localisation terms x,y (YOLOv2 coord_scale 1) and w,h (Eq. 3)
 * @param lambdaObj           weight of the objectness term of assigned anchors (YOLOv2 object_scale 5)
 * @param lambdaNoObj         weight of the no-object term sigma(t_o)^2 of unassigned anchors (YOLOv2 noobject_scale 1)
 * @param lambdaClass         weight of the class cross-entropy (YOLOv2 class_scale 1)
 * @param ignoreThreshold     IoU (dimensionless, in [0, 1]) between an unassigned anchor's predicted box and
 *                            the ground truth of its cell above which the no-object term is dropped
 *                            (YOLOv2 thresh 0.6); 1 never drops it
 * @param objectnessTarget    what an assigned anchor's objectness regresses to
 * @param networkLearningRate Adam step size of all network weights (per iteration)
 * @param anchorLearningRate  Adam step size of the log-anchors {@code s^w, s^h} (paper Eq. 7); the probe found
 *                            10-50x the network rate necessary, since Adam moves a log-anchor by about lr per step,
 *                            so a run needs at least |log(data / initial anchor)| / lr steps to bring far-off
 *                            anchors to the data (README, "Training defaults": 2e-2 vs 5e-2)
 * @param anchorMode          whether the anchors are trained (the paper) or fixed (the baseline)
 * @param softWarmup          paper Sec. 3.2.1: soft assignment (Eq. 10) while the warm-up temperature is positive
 * @param clusteringWarmup    paper Sec. 3.2.2: the online clustering term (Eq. 11-12) with the warm-up lambda
 * @param bnWithoutShift      paper Sec. 3.2.3: batch normalisation without shift (beta pinned to 0) on the
 *                            t_w, t_h outputs; off = those outputs are used as they come
 * @param precision           floating point type of the network (DOUBLE for gradient checks)
 * @param seed                seed of the weight initialisation
 */
public record DetectorConfig(
        int inputSize,
        List<Integer> backboneChannels,
        int numAnchors,
        int numClasses,
        double lambdaCoord,
        double lambdaObj,
        double lambdaNoObj,
        double lambdaClass,
        double ignoreThreshold,
        ObjectnessTarget objectnessTarget,
        double networkLearningRate,
        double anchorLearningRate,
        AnchorMode anchorMode,
        boolean softWarmup,
        boolean clusteringWarmup,
        boolean bnWithoutShift,
        Precision precision,
        long seed) {

    /** What an assigned anchor's objectness {@code sigma(t_o)} is regressed to. */
    public enum ObjectnessTarget {
        /** YOLOv2: the IoU of the predicted box with its ground truth (a constant: no gradient through it). */
        IOU,
        /** 1 for every assigned anchor (no dependence on the box prediction; what gradient checks use). */
        ONE
    }

    /** Whether the log-anchors are SGD variables. */
    public enum AnchorMode {
        /** Trained with their own Adam (paper Eq. 7). */
        LEARNED,
        /** Kept exactly at their initial values (SGD at rate 0; DL4J's NoOp would still apply the raw gradient). */
        FIXED
    }

    /** Network floating point type. */
    public enum Precision {
        FLOAT,
        DOUBLE
    }

    public DetectorConfig {
        backboneChannels = List.copyOf(backboneChannels);
        if (backboneChannels.isEmpty()) {
            throw new IllegalArgumentException("backboneChannels must name at least one block");
        }
        for (int i = 0; i < backboneChannels.size(); i++) {
            if (backboneChannels.get(i) <= 0) {
                throw new IllegalArgumentException("backboneChannels[" + i + "] must be > 0, got " + backboneChannels.get(i));
            }
        }
        int stride = 1 << (backboneChannels.size() - 1);
        if (inputSize <= 0 || inputSize % stride != 0) {
            throw new IllegalArgumentException("inputSize must be a positive multiple of the stride " + stride + " ("
                    + backboneChannels.size() + " backbone blocks), got " + inputSize);
        }
        if (numAnchors < 1) {
            throw new IllegalArgumentException("numAnchors must be >= 1, got " + numAnchors);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        nonNegative("lambdaCoord", lambdaCoord);
        nonNegative("lambdaObj", lambdaObj);
        nonNegative("lambdaNoObj", lambdaNoObj);
        nonNegative("lambdaClass", lambdaClass);
        if (!(ignoreThreshold >= 0 && ignoreThreshold <= 1)) {
            throw new IllegalArgumentException("ignoreThreshold must be in [0, 1], got " + ignoreThreshold);
        }
        if (objectnessTarget == null) {
            throw new IllegalArgumentException("objectnessTarget must be set");
        }
        nonNegative("networkLearningRate", networkLearningRate);
        nonNegative("anchorLearningRate", anchorLearningRate);
        if (anchorMode == null) {
            throw new IllegalArgumentException("anchorMode must be set");
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision must be set");
        }
    }

    private static void nonNegative(String field, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(field + " must be finite and >= 0, got " + v);
        }
    }

    /**
     * The CPU default: 5 blocks 16-32-64-128-128 (stride 16), A = 5, YOLOv2's loss weights (coord 1, object
     * 5, no-object 1, class 1, ignore 0.6, IoU objectness target), network Adam 1e-3, anchor Adam 2e-2,
     * learned anchors, all three paper techniques on, FLOAT. Measured against alternatives (README,
     * "Training defaults"; synthetic:mixed, 96 px, 600 steps): objectness target 1 instead of the IoU gave
     * AP50 0.314 vs 0.341; with these values and {@code TrainingConfig.defaults} the held-out AP50 reaches
     * 0.48. The t_w, t_h scale of the BN without shift starts at {@link DetectorGraph#WH_GAMMA_INIT}.
     */
    public static DetectorConfig defaults(int inputSize, int numClasses) {
        return new DetectorConfig(inputSize, List.of(16, 32, 64, 128, 128), 5, numClasses,
                1.0, 5.0, 1.0, 1.0, 0.6, ObjectnessTarget.IOU,
                1e-3, 2e-2, AnchorMode.LEARNED, true, true, true, Precision.FLOAT, 42L);
    }

    /** Input pixels per grid cell: {@code 2^(blocks - 1)}. */
    public int stride() {
        return 1 << (backboneChannels.size() - 1);
    }

    /** Grid cells per side: {@code inputSize / stride}. */
    public int gridSize() {
        return inputSize / stride();
    }

    public DetectorConfig withBackbone(List<Integer> channels) {
        return new DetectorConfig(inputSize, channels, numAnchors, numClasses, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignoreThreshold, objectnessTarget, networkLearningRate, anchorLearningRate, anchorMode,
                softWarmup, clusteringWarmup, bnWithoutShift, precision, seed);
    }

    public DetectorConfig withAnchors(int a, AnchorMode mode) {
        return new DetectorConfig(inputSize, backboneChannels, a, numClasses, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignoreThreshold, objectnessTarget, networkLearningRate, anchorLearningRate, mode,
                softWarmup, clusteringWarmup, bnWithoutShift, precision, seed);
    }

    public DetectorConfig withLearningRates(double network, double anchors) {
        return new DetectorConfig(inputSize, backboneChannels, numAnchors, numClasses, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignoreThreshold, objectnessTarget, network, anchors, anchorMode,
                softWarmup, clusteringWarmup, bnWithoutShift, precision, seed);
    }

    public DetectorConfig withObjectness(ObjectnessTarget target, double ignore) {
        return new DetectorConfig(inputSize, backboneChannels, numAnchors, numClasses, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignore, target, networkLearningRate, anchorLearningRate, anchorMode,
                softWarmup, clusteringWarmup, bnWithoutShift, precision, seed);
    }

    public DetectorConfig withTechniques(boolean soft, boolean clustering, boolean bnNoShift) {
        return new DetectorConfig(inputSize, backboneChannels, numAnchors, numClasses, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignoreThreshold, objectnessTarget, networkLearningRate, anchorLearningRate, anchorMode,
                soft, clustering, bnNoShift, precision, seed);
    }

    public DetectorConfig withPrecision(Precision p) {
        return new DetectorConfig(inputSize, backboneChannels, numAnchors, numClasses, lambdaCoord, lambdaObj, lambdaNoObj,
                lambdaClass, ignoreThreshold, objectnessTarget, networkLearningRate, anchorLearningRate, anchorMode,
                softWarmup, clusteringWarmup, bnWithoutShift, p, seed);
    }
}
