package dev.abo.trainer.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.abo.core.data.LabeledObject;

/**
 * The last {@link #capacity} ground-truth box shapes the trainer saw (a ring; difficult and crowd objects left out,
 * as from the training targets and the anchor statistics), binned on request into the
 * registry's {@code gtShapeHistogram}: {@code bins x bins} cells over ln w and ln h in {@code [0, ln inputSize]}
 * (w, h in pixels of the network input), counts row-major by height (index {@code j * widthBins + i}); shapes
 * outside the range are counted in the edge cells. Training thread only.
 */
public final class RecentShapes {

    public static final int DEFAULT_CAPACITY = 4096;
    public static final int BINS = 32;

    private final int capacity;
    private final double[] logW;
    private final double[] logH;
    private long seen;

    public RecentShapes(int capacity) {
        this.capacity = capacity;
        this.logW = new double[capacity];
        this.logH = new double[capacity];
    }

    public void add(List<List<LabeledObject>> batch) {
        for (List<LabeledObject> image : batch) {
            for (LabeledObject o : image) {
                double w = o.box().width();
                double h = o.box().height();
                if (!o.difficult() && !o.crowd() && w > 0 && h > 0 && Double.isFinite(w) && Double.isFinite(h)) {
                    int k = (int) (seen % capacity);
                    logW[k] = Math.log(w);
                    logH[k] = Math.log(h);
                    seen++;
                }
            }
        }
    }

    /** Shapes held (at most the capacity). */
    public int size() {
        return (int) Math.min(seen, capacity);
    }

    /** The histogram in the registry's JSON shape. */
    public Map<String, Object> histogram(int inputSize) {
        double max = Math.log(inputSize);
        long[] counts = new long[BINS * BINS];
        for (int k = 0; k < size(); k++) {
            counts[bin(logH[k], max) * BINS + bin(logW[k], max)]++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("widthBins", BINS);
        m.put("heightBins", BINS);
        m.put("logWidthMin", 0.0);
        m.put("logWidthMax", max);
        m.put("logHeightMin", 0.0);
        m.put("logHeightMax", max);
        m.put("counts", counts);
        return m;
    }

    private static int bin(double v, double max) {
        int b = (int) Math.floor(v / max * BINS);
        return Math.max(0, Math.min(BINS - 1, b));
    }
}
