package dev.abo.cli.demo;

import java.time.Duration;

/**
 * The demo's timetable and pacing, worked out once the broker, registry and inference service are up (their
 * start-up time is known then).
 *
 * <p>Training runs from then until {@code length - finishReserve} after the start; the reserve covers stopping,
 * the final evaluation and the report ({@link #FINISH_RESERVE}, or a tenth of a short run). The camera drifts
 * to small heads at the middle of that window, in wall-clock time. The loaders are paced at
 * {@link DemoSettings#stepsPerSecond()} batches/s together (split by the camera's share) and pause while the
 * learned trainer has {@link #LAG_SLACK} batches more than one checkpoint interval uncommitted (it commits its
 * offsets with each checkpoint): a trainer slower than the pace holds them back, so it is never more than that
 * many batches behind the camera, and the middle in time is the middle in its training steps.
 *
 * @param trainingSeconds  length of the training window
 * @param driftAfter       from the start of training to the drift
 * @param plannedSteps     the most each trainer can do: the pace times the training window
 * @param warmupSteps      the anchors' warm-up (soft assignment, clustering weight): a tenth of the planned steps,
 *                         at least 1, at most {@link #MAX_WARMUP_STEPS}
 * @param cameraRate       the camera loader's batches/s
 * @param vocRate          the VOC loader's batches/s (0: no VOC loader)
 * @param checkpointEvery  trainer checkpoint (and offset commit) interval, steps
 * @param lagCap           the loaders pause while the learned trainer has this many batches not yet committed
 */
public record DemoPlan(double trainingSeconds, double driftAfter, long plannedSteps, long warmupSteps, double cameraRate,
                       double vocRate, int checkpointEvery, int lagCap) {

    public static final Duration FINISH_RESERVE = Duration.ofSeconds(25);
    public static final long MAX_WARMUP_STEPS = 100;
    public static final int LAG_SLACK = 6;
    public static final double MIN_TRAINING_SECONDS = 5;

    /** The plan for a run whose services took {@code startup} to come up. */
    public static DemoPlan of(DemoSettings s, Duration startup) {
        double length = s.length().toMillis() / 1000.0;
        double reserve = Math.min(FINISH_RESERVE.toSeconds(), 0.1 * length);
        double training = Math.max(MIN_TRAINING_SECONDS, length - startup.toMillis() / 1000.0 - reserve);
        long planned = Math.round(s.stepsPerSecond() * training);
        long warmup = Math.max(1, Math.min(MAX_WARMUP_STEPS, Math.round(0.1 * planned)));
        double rate = s.stepsPerSecond();
        int checkpointEvery = Math.min(10, s.evalEvery());
        return new DemoPlan(training, training / 2, planned, warmup, rate * s.cameraShare(), rate * (1 - s.cameraShare()),
                checkpointEvery, checkpointEvery + LAG_SLACK);
    }
}
