package dev.abo.detector;

import dev.abo.core.schedule.WarmupSchedule;

/**
 * The per-step values of the warm-up that reach the loss through the label planes (so they change
 * every step without rebuilding the graph).
 *
 * @param softWeight  alpha in {@code r = (1 - alpha) hard + alpha soft}: 0 = YOLOv2's hard assignment,
 *                    1 = paper Eq. 10's soft assignment; in [0, 1]
 * @param temperature T of Eq. 10 (units of the distance {@code 1 - IoU}); must be {@code > 0} when
 *                    {@code softWeight > 0}; ignored otherwise
 * @param lambda      lambda of the clustering term Eq. 11, {@code >= 0}
 */
public record LossSchedule(double softWeight, double temperature, double lambda) {

    /** Smallest temperature the graph divides by (a zero T is only allowed with softWeight 0). */
    static final double MIN_TEMPERATURE = 1e-6;

    /** Plain YOLOv2 training: hard assignment, no clustering term. */
    public static final LossSchedule HARD = new LossSchedule(0, 1, 0);

    public LossSchedule {
        if (!(softWeight >= 0 && softWeight <= 1)) {
            throw new IllegalArgumentException("softWeight must be in [0, 1], got " + softWeight);
        }
        if (!Double.isFinite(temperature) || temperature < 0 || (softWeight > 0 && temperature < MIN_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be finite, >= 0, and >= " + MIN_TEMPERATURE
                    + " when softWeight > 0; got " + temperature + " with softWeight " + softWeight);
        }
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }

    /**
     * The values at {@code step} of {@code warmup}, with the techniques the config switches off
     * removed: soft assignment only while T > 0 and {@code softWarmup}; lambda only with
     * {@code clusteringWarmup}.
     */
    public static LossSchedule at(WarmupSchedule warmup, long step, DetectorConfig config) {
        double t = warmup.temperature(step);
        boolean soft = config.softWarmup() && t >= MIN_TEMPERATURE;
        double lambda = config.clusteringWarmup() ? warmup.lambda(step) : 0;
        return new LossSchedule(soft ? 1 : 0, soft ? t : 1, lambda);
    }
}
