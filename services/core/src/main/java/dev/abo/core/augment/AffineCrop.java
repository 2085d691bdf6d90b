package dev.abo.core.augment;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One geometric transform from a source image to a network input, as a value that maps boxes and
 * pixels alike so they cannot disagree: take the source rectangle {@code window} (continuous source
 * pixels; it may extend beyond the image, where the output is {@code fillRgb}), stretch it to
 * {@code outputWidth x outputHeight}, and optionally mirror it left-right.
 *
 * <p>Point mapping, with {@code sx = outputWidth / window.width()}, {@code sy = outputHeight /
 * window.height()}: {@code x' = (x - window.x1) * sx}, then {@code x' -> outputWidth - x'} when
 * flipped; {@code y' = (y - window.y1) * sy}. Pixels follow the same map at their centres (see
 * {@link BilinearSampling}), so a box edge on an integer source coordinate is where the resampled
 * colour is half-way between the two sides.
 *
 * @param window       source rectangle in source pixels, positive and finite size
 * @param outputWidth  output width in pixels
 * @param outputHeight output height in pixels
 * @param flip         mirror the output left-right
 * @param fillRgb      colour of output pixels outside the source image, {@code 0xRRGGBB}
 */
public record AffineCrop(Box window, int outputWidth, int outputHeight, boolean flip, int fillRgb) {

    /** Darknet's padding grey, {@code (127, 127, 127)}. */
    public static final int GREY_127 = 0x7F7F7F;

    public AffineCrop {
        if (!Double.isFinite(window.x1()) || !Double.isFinite(window.y1()) || !Double.isFinite(window.x2())
                || !Double.isFinite(window.y2()) || !(window.width() > 0) || !(window.height() > 0)) {
            throw new IllegalArgumentException("crop window must be finite with positive size, got " + window);
        }
        if (outputWidth <= 0 || outputHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outputWidth + "x" + outputHeight);
        }
        if (fillRgb < 0 || fillRgb > 0xFFFFFF) {
            throw new IllegalArgumentException("fillRgb must be in [0, 0xFFFFFF], got " + fillRgb);
        }
    }

    /** Output pixels per source pixel along x. */
    public double scaleX() {
        return outputWidth / window.width();
    }

    /** Output pixels per source pixel along y. */
    public double scaleY() {
        return outputHeight / window.height();
    }

    /** The source box in output pixels, not clipped. */
    public Box mapBox(Box source) {
        double sx = scaleX();
        double sy = scaleY();
        double x1 = (source.x1() - window.x1()) * sx;
        double x2 = (source.x2() - window.x1()) * sx;
        double y1 = (source.y1() - window.y1()) * sy;
        double y2 = (source.y2() - window.y1()) * sy;
        return flip ? new Box(outputWidth - x2, y1, outputWidth - x1, y2) : new Box(x1, y1, x2, y2);
    }

    /** The exact inverse of {@link #mapBox}: an output box (e.g. a detection) in source pixels. */
    public Box toSource(Box output) {
        double x1 = flip ? outputWidth - output.x2() : output.x1();
        double x2 = flip ? outputWidth - output.x1() : output.x2();
        double sx = scaleX();
        double sy = scaleY();
        return new Box(x1 / sx + window.x1(), output.y1() / sy + window.y1(),
                x2 / sx + window.x1(), output.y2() / sy + window.y1());
    }

    /** The source pixels resampled to the output (bilinear, see {@link BilinearSampling}). */
    public RgbImage resample(RgbImage source) {
        return BilinearSampling.resample(source, this);
    }

    /**
     * Pixels and objects through this transform. Boxes are mapped, clipped to the output and kept by
     * {@code rule}; a kept object's declared area is scaled by {@code sx * sy} and by its visible
     * fraction; class and flags are unchanged.
     */
    public Augmented apply(RgbImage source, List<LabeledObject> objects, VisibilityRule rule) {
        List<LabeledObject> kept = new ArrayList<>(objects.size());
        double areaScale = scaleX() * scaleY();
        for (LabeledObject o : objects) {
            Box mapped = mapBox(o.box());
            Box clipped = mapped.clip(outputWidth, outputHeight);
            if (rule.keeps(mapped, clipped)) {
                double visible = clipped.area() / mapped.area();
                kept.add(new LabeledObject(clipped, o.classId(), o.difficult(), o.crowd(), o.area() * areaScale * visible));
            }
        }
        return new Augmented(resample(source), kept, objects.size() - kept.size());
    }
}
