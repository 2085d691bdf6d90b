package dev.abo.core.assign;

/** How a ground-truth box is shared among the anchors of its grid cell (paper Sec. 3.1.1, 3.2.1). */
public enum AssignmentMode {
    /**
     * YOLOv2: the single anchor with the smallest distance (largest shape IoU for
     * {@link AssignmentDistance#IOU}) gets weight 1, every other anchor 0.
     */
    HARD,
    /**
     * Paper Eq. 10: {@code delta_k = softmax_k(-dist(anchor_k, gt) / T)} over the cell's anchors;
     * {@code T = 0} is exactly {@link #HARD}.
     */
    SOFT
}
