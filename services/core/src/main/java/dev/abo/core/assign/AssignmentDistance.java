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
        public double between(Shape anchor, Shape gt) {
            return 1 - Iou.ofShapes(anchor, gt);
        }
    },
    /** {@code (log aw - log gw)^2 + (log ah - log gh)^2}, the {@code T_ij} of paper Eq. 12. */
    LOG_L2 {
        @Override
        public double between(Shape anchor, Shape gt) {
            double dw = Math.log(anchor.w()) - Math.log(gt.w());
            double dh = Math.log(anchor.h()) - Math.log(gt.h());
            return dw * dw + dh * dh;
        }
    };

    /** The distance from {@code anchor} to {@code gt}; 0 for identical shapes, never negative. */
    public abstract double between(Shape anchor, Shape gt);
}
