package dev.abo.core.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A COCO dataset as read: the report (dataset and skipped objects) plus the COCO category id of each
 * class index, which the COCO evaluator and results format use.
 *
 * <p>Class index {@code i} is the {@code i}-th category in the file's categories sorted by id.
 */
public final class CocoDataset {

    private final ReadReport report;
    private final int[] categoryIds;
    private final Map<Integer, Integer> classIndexById = new HashMap<>();

    public CocoDataset(ReadReport report, int[] categoryIds) {
        this.report = Objects.requireNonNull(report, "report");
        this.categoryIds = categoryIds.clone();
        if (categoryIds.length != report.dataset().classNames().size()) {
            throw new IllegalArgumentException(categoryIds.length + " category ids for "
                    + report.dataset().classNames().size() + " class names");
        }
        for (int i = 0; i < categoryIds.length; i++) {
            if (classIndexById.put(categoryIds[i], i) != null) {
                throw new IllegalArgumentException("duplicate category id " + categoryIds[i]);
            }
        }
    }

    public ReadReport report() {
        return report;
    }

    public Dataset dataset() {
        return report.dataset();
    }

    /** The COCO category id of each class index (a copy). */
    public int[] categoryIds() {
        return categoryIds.clone();
    }

    /** The COCO category id of a class index. */
    public int categoryId(int classIndex) {
        return categoryIds[classIndex];
    }

    /** The class index of a COCO category id, empty when the id is not a category of this dataset. */
    public OptionalInt classIndex(int categoryId) {
        Integer i = classIndexById.get(categoryId);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    @Override
    public String toString() {
        return "CocoDataset[" + dataset().name() + ", categoryIds=" + Arrays.toString(categoryIds) + "]";
    }
}
