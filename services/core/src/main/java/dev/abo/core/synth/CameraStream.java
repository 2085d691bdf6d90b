package dev.abo.core.synth;

import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A camera whose scene drifts: frame {@code f} is scene {@code f} of {@code before} or of
 * {@code after}, chosen by a {@link DriftSchedule} (inside a blend window by a coin that is a pure
 * function of (seed, f)). It is itself a {@link SceneGenerator} indexed by frame number.
 *
 * <p>Classes: {@code before}'s names, then those of {@code after} not already present; labels of
 * either generator are renumbered into this list, so a class keeps one id across the drift.
 */
public final class CameraStream implements SceneGenerator {
    /** Salt that keeps the blend coin independent of the generators' own per-scene streams. */
    private static final long COIN_SALT = 0x3C6EF372FE94F82BL;

    private final SceneGenerator before;
    private final SceneGenerator after;
    private final DriftSchedule schedule;
    private final long seed;
    private final List<String> classNames;
    private final int[] beforeIds;
    private final int[] afterIds;

    /**
     * @param seed seeds only the blend coin; both generators carry their own seeds
     * @throws IllegalArgumentException when the generators' image sizes differ
     */
    public CameraStream(SceneGenerator before, SceneGenerator after, DriftSchedule schedule, long seed) {
        if (before.width() != after.width() || before.height() != after.height()) {
            throw new IllegalArgumentException("one camera has one resolution: " + before.name() + " is "
                    + before.width() + "x" + before.height() + ", " + after.name() + " is " + after.width() + "x"
                    + after.height());
        }
        this.before = before;
        this.after = after;
        this.schedule = schedule;
        this.seed = seed;
        List<String> names = new ArrayList<>(before.classNames());
        for (String n : after.classNames()) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        this.classNames = List.copyOf(names);
        this.beforeIds = before.classNames().stream().mapToInt(classNames::indexOf).toArray();
        this.afterIds = after.classNames().stream().mapToInt(classNames::indexOf).toArray();
    }

    public DriftSchedule schedule() {
        return schedule;
    }

    /** Whether frame {@code frame} shows the second generator. */
    public boolean showsAfter(long frame) {
        double p = schedule.newProbability(SceneSeed.requireIndex(frame));
        if (p == 0 || p == 1) {
            return p == 1;
        }
        return new SplittableRandom(SceneSeed.of(seed ^ COIN_SALT, frame)).nextDouble() < p;
    }

    /** {@code before -> after @ switchFrame[+blendFrames]}. */
    @Override
    public String name() {
        return before.name() + "->" + after.name() + "@" + schedule.switchFrame()
                + (schedule.blendFrames() > 0 ? "+" + schedule.blendFrames() : "");
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int width() {
        return before.width();
    }

    @Override
    public int height() {
        return before.height();
    }

    @Override
    public SyntheticScene scene(long frame) {
        boolean late = showsAfter(frame);
        SyntheticScene s = (late ? after : before).scene(frame);
        int[] ids = late ? afterIds : beforeIds;
        LabeledImage l = s.labels();
        List<LabeledObject> objects = new ArrayList<>(l.objects().size());
        for (LabeledObject o : l.objects()) {
            objects.add(new LabeledObject(o.box(), ids[o.classId()], o.difficult(), o.crowd(), o.area()));
        }
        return new SyntheticScene(s.image(), new LabeledImage(l.id(), l.file(), l.width(), l.height(), objects),
                s.occludedDropped());
    }
}
