package dev.abo.core.augment;

import java.util.random.RandomGenerator;

/**
 * YOLOv2's random colour change (darknet {@code random_distort_image}; the paper's Sec. 4.1 "random
 * hue, exposure, saturation change"): hue rotated by a uniform amount in {@code [-hue, hue]};
 * saturation and exposure each multiplied by {@link #randomScale darknet's random scale}, a factor
 * uniform in {@code [1, s]} that is inverted with probability 1/2, so it lies in {@code [1/s, s]}.
 *
 * @param hue        largest hue rotation, fraction of the hue circle, in [0, 0.5] (YOLOv2: 0.1)
 * @param saturation largest saturation factor, >= 1 (YOLOv2: 1.5; 1 = off)
 * @param exposure   largest value factor, >= 1 (YOLOv2: 1.5; 1 = off)
 */
public record HsvJitter(double hue, double saturation, double exposure) {

    /** YOLOv2's defaults: hue 0.1, saturation 1.5, exposure 1.5. */
    public static final HsvJitter YOLOV2 = new HsvJitter(0.1, 1.5, 1.5);

    public HsvJitter {
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("hue must be in [0, 0.5], got " + hue);
        }
        if (!(saturation >= 1 && Double.isFinite(saturation))) {
            throw new IllegalArgumentException("saturation must be finite and >= 1, got " + saturation);
        }
        if (!(exposure >= 1 && Double.isFinite(exposure))) {
            throw new IllegalArgumentException("exposure must be finite and >= 1, got " + exposure);
        }
    }

    /** One random shift; draws five numbers from {@code rng} (hue, then two each for saturation and exposure). */
    public HsvShift sample(RandomGenerator rng) {
        double dh = hue * (2 * rng.nextDouble() - 1);
        double ds = randomScale(saturation, rng);
        double de = randomScale(exposure, rng);
        return new HsvShift(dh, ds, de);
    }

    /** Darknet's {@code rand_scale}: uniform in [1, s], inverted with probability 1/2. */
    static double randomScale(double s, RandomGenerator rng) {
        double scale = 1 + (s - 1) * rng.nextDouble();
        return rng.nextBoolean() ? scale : 1 / scale;
    }
}
