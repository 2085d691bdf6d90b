package dev.abo.core.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader returns: the dataset and every object it skipped (always empty in strict mode), so
 * nothing is dropped silently.
 */
public record ReadReport(Dataset dataset, List<SkippedObject> skipped) {

    public ReadReport {
        skipped = List.copyOf(skipped);
    }

    public int skippedCount() {
        return skipped.size();
    }

    /** Number of skipped objects per kind of problem (kinds with none are absent). */
    public Map<SkippedObject.Kind, Integer> skippedByKind() {
        Map<SkippedObject.Kind, Integer> counts = new EnumMap<>(SkippedObject.Kind.class);
        for (SkippedObject s : skipped) {
            counts.merge(s.kind(), 1, Integer::sum);
        }
        return counts;
    }
}
