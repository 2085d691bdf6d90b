package dev.abo.core.synth;

/**
 * When a {@link CameraStream} changes from its first generator to its second: frames before
 * {@code switchFrame} come from the first, frames from {@code switchFrame + blendFrames} on from the
 * second, and in between the probability of the second grows linearly:
 * {@code p(f) = clamp((f - switchFrame + 1) / (blendFrames + 1), 0, 1)}.
 *
 * @param switchFrame first frame that may show the second generator (>= 0)
 * @param blendFrames length of the linear blend in frames (0 = a hard switch at {@code switchFrame})
 */
public record DriftSchedule(long switchFrame, long blendFrames) {
    public DriftSchedule {
        if (switchFrame < 0 || blendFrames < 0) {
            throw new IllegalArgumentException("need switchFrame >= 0 and blendFrames >= 0, got " + switchFrame
                    + ", " + blendFrames);
        }
        if (switchFrame > Long.MAX_VALUE - blendFrames - 1) {
            throw new IllegalArgumentException("switchFrame + blendFrames overflows");
        }
    }

    /** A hard switch: every frame before {@code frame} is old, every frame from it on is new. */
    public static DriftSchedule at(long frame) {
        return new DriftSchedule(frame, 0);
    }

    /** Probability that frame {@code frame} comes from the second generator, 0..1. */
    public double newProbability(long frame) {
        if (frame < switchFrame) {
            return 0;
        }
        if (frame >= switchFrame + blendFrames) {
            return 1;
        }
        return (double) (frame - switchFrame + 1) / (blendFrames + 1);
    }
}
