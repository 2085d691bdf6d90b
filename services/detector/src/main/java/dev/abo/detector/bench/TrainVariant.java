package dev.abo.detector.bench;

/** The three detectors the training benchmark compares (all on the same backbone and data). */
public enum TrainVariant {
    /** (a) DetectorGraph, anchorMode LEARNED, soft assignment + online clustering (warm-up), BN without shift. */
    LEARNED("a", "learned", "learnable anchors: our YOLOv2 loss (AnchorYoloLoss, analytic gradients in Java),"
            + " anchors trained (Adam), soft assignment + online clustering of the warm-up, BN without shift on tw/th"),
    /** (b) the same graph, anchorMode FIXED (anchor updater SGD at rate 0), plain hard assignment. */
    FIXED("b", "fixed", "fixed anchors: the same graph and loss, anchors frozen (SGD rate 0), hard assignment,"
            + " no clustering term"),
    /** (c) the same backbone under DL4J's stock Yolo2OutputLayer with the same priors. */
    DL4J_YOLO2("c", "dl4j_yolo2", "DL4J's own Yolo2OutputLayer with the same fixed priors: same backbone, one"
            + " conv1x1 head with A(5+C) channels, no BN-without-shift branch, labels in its corner format");

    private final String letter;
    private final String key;
    private final String description;

    TrainVariant(String letter, String key, String description) {
        this.letter = letter;
        this.key = key;
        this.description = description;
    }

    /** (a), (b), (c) as in the command's help. */
    public String letter() {
        return letter;
    }

    /** The JSON key. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }
}
