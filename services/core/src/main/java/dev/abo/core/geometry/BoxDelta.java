package dev.abo.core.geometry;

/**
 * The raw network outputs that encode one box relative to a grid cell and an anchor (YOLOv2,
 * paper Sec. 2.1 and 4.1): {@code tx, ty} are logits of the centre's offset inside the cell
 * (so that {@code sigma(tx)} is the offset in {@code [0, 1]}), {@code tw = log(w / a_w)} and
 * {@code th = log(h / a_h)}. Dimensionless. See {@link BoxCodec}.
 */
public record BoxDelta(double tx, double ty, double tw, double th) {
}
