package dev.abo.registry;

import java.util.Arrays;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Counts of recent ground-truth box shapes on a grid over the (ln w, ln h) plane (w, h in pixels of the
 * network input): the background of the anchor plot, as in the paper's Fig. 2. Cell {@code (i, j)} counts
 * shapes with ln w in bin {@code i} of {@code [logWidthMin, logWidthMax)} and ln h in bin {@code j} of
 * {@code [logHeightMin, logHeightMax)}; {@code counts} is row-major by height: index {@code j * widthBins + i}.
 */
public record ShapeHistogram(int widthBins, int heightBins, double logWidthMin, double logWidthMax,
                             double logHeightMin, double logHeightMax, long[] counts) {

    public static final int MAX_BINS = 64;

    public ShapeHistogram {
        if (widthBins < 1 || widthBins > MAX_BINS || heightBins < 1 || heightBins > MAX_BINS) {
            throw invalid("widthBins and heightBins must be in [1, " + MAX_BINS + "], were " + widthBins + " and " + heightBins);
        }
        checkRange("logWidth", logWidthMin, logWidthMax);
        checkRange("logHeight", logHeightMin, logHeightMax);
        if (counts.length != widthBins * heightBins) {
            throw invalid("counts must have widthBins * heightBins = " + widthBins * heightBins + " entries, had " + counts.length);
        }
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] < 0) {
                throw invalid("counts[" + k + "] must be >= 0, was " + counts[k]);
            }
        }
        counts = counts.clone();
    }

    private static void checkRange(String name, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw invalid(name + "Min/" + name + "Max must be finite with min < max, were " + min + " and " + max);
        }
    }

    private static ApiException invalid(String reason) {
        return ApiException.badRequest("invalid_histogram", "gtShapeHistogram: " + reason);
    }

    public JsonObject toJson() {
        JsonArray c = new JsonArray();
        for (long v : counts) {
            c.add(v);
        }
        return new JsonObject().put("widthBins", widthBins).put("heightBins", heightBins)
                .put("logWidthMin", logWidthMin).put("logWidthMax", logWidthMax)
                .put("logHeightMin", logHeightMin).put("logHeightMax", logHeightMax)
                .put("counts", c);
    }

    /** @throws ApiException 400 {@code invalid_histogram} naming the bad field */
    public static ShapeHistogram fromJson(JsonObject j) {
        try {
            JsonArray c = j.getJsonArray("counts");
            if (c == null) {
                throw invalid("counts is required");
            }
            long[] counts = new long[c.size()];
            for (int k = 0; k < counts.length; k++) {
                Object v = c.getValue(k);
                if (!(v instanceof Integer || v instanceof Long)) {
                    throw invalid("counts[" + k + "] must be an integer, was " + v);
                }
                counts[k] = ((Number) v).longValue();
            }
            return new ShapeHistogram(intField(j, "widthBins"), intField(j, "heightBins"),
                    doubleField(j, "logWidthMin"), doubleField(j, "logWidthMax"),
                    doubleField(j, "logHeightMin"), doubleField(j, "logHeightMax"), counts);
        } catch (ClassCastException e) {
            throw invalid("wrong type: " + e.getMessage());
        }
    }

    private static int intField(JsonObject j, String name) {
        Object v = j.getValue(name);
        if (!(v instanceof Integer)) {
            throw invalid(name + " must be an integer, was " + v);
        }
        return (Integer) v;
    }

    private static double doubleField(JsonObject j, String name) {
        Object v = j.getValue(name);
        if (!(v instanceof Number n)) {
            throw invalid(name + " must be a number, was " + v);
        }
        return n.doubleValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShapeHistogram h && widthBins == h.widthBins && heightBins == h.heightBins
                && logWidthMin == h.logWidthMin && logWidthMax == h.logWidthMax
                && logHeightMin == h.logHeightMin && logHeightMax == h.logHeightMax && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + widthBins * 97 + heightBins;
    }

    @Override
    public String toString() {
        return "ShapeHistogram[" + widthBins + "x" + heightBins + ", ln w [" + logWidthMin + ", " + logWidthMax
                + "), ln h [" + logHeightMin + ", " + logHeightMax + "), total " + Arrays.stream(counts).sum() + "]";
    }
}
