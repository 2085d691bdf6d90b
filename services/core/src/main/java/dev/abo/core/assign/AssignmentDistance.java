package dev.abo.core.assign;

import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;

/**
 * The anchor-to-ground-truth shape distance used to assign boxes to anchors (paper Sec. 3.2: IoU by
 * convention; the log-space L2 distance "aligns more closely with the loss"). Positions are ignored:
 * both shapes are taken as centred on the same point.
 */
public enum AssignmentDistance {
    /** {@code 1 - shapeIoU(anchor, gt)}, in [0, 1). */
    IOU {
        @Override
        public double between(double anchorW, double anchorH, double gtW, double gtH) {
            return 1 - Iou.ofShapes(anchorW, anchorH, gtW, gtH);
        }
    },
    /** {@code (log aw - log gw)^2 + (log ah - log gh)^2}, the {@code T_ij} of paper Eq. 12. */
    LOG_L2 {
        @Override
        public double between(double anchorW, double anchorH, double gtW, double gtH) {
            double dw = Math.log(anchorW) - Math.log(gtW);
            double dh = Math.log(anchorH) - Math.log(gtH);
            return dw * dw + dh * dh;
        }
    };

    /** The distance from {@code anchor} to {@code gt}; 0 for identical shapes, never negative. */
    public double between(Shape anchor, Shape gt) {
        return between(anchor.w(), anchor.h(), gt.w(), gt.h());
    }

    /**
     * {@link #between(Shape, Shape)} of shapes given by their sizes (any one unit for all four): the hot-path
     * form, no allocation and no validation (a non-positive or non-finite size gives a NaN or infinite distance).
     */
    public abstract double between(double anchorW, double anchorH, double gtW, double gtH);
}
