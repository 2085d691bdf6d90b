package dev.abo.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Which batches, as {@code (source id, sequence number)}, went into a model's lineage: saved with every
 * checkpoint, so it describes exactly the durable model state. Compact for what loaders write (each source
 * numbers its batches 0, 1, 2, ...): per source a set of disjoint closed ranges. A batch trained again is
 * not merged away but recorded in {@link #retrained()} (the first {@value #MAX_RETRAINED_LISTED}) and
 * counted, so a double training is visible. Not thread-safe.
 */
public final class TrainedLedger {

    /** Retrained batches listed individually; further ones are only counted. */
    public static final int MAX_RETRAINED_LISTED = 1000;

    /** A closed range of sequence numbers {@code [first, last]}. */
    public record Range(long first, long last) {
        public Range {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("need 0 <= first <= last, got [" + first + ", " + last + "]");
            }
        }
    }

    /** One batch of one source. */
    public record Batch(String source, long sequence) {
    }

    private final Map<String, NavigableMap<Long, Long>> ranges = new TreeMap<>();
    private final List<Batch> retrained = new ArrayList<>();
    private long retrainedCount;

    /**
     * Records that batch {@code sequence} of {@code source} was trained on.
     *
     * @return false if it was already in the ledger (it is then counted as retrained)
     */
    public boolean add(String source, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence number " + sequence + " of " + source);
        }
        NavigableMap<Long, Long> r = ranges.computeIfAbsent(source, s -> new TreeMap<>());
        Map.Entry<Long, Long> below = r.floorEntry(sequence);
        if (below != null && below.getValue() >= sequence) {
            retrainedCount++;
            if (retrained.size() < MAX_RETRAINED_LISTED) {
                retrained.add(new Batch(source, sequence));
            }
            return false;
        }
        long first = sequence;
        long last = sequence;
        if (below != null && below.getValue() == sequence - 1) {
            first = below.getKey();
        }
        Long aboveLast = r.get(sequence + 1);
        if (aboveLast != null) {
            last = aboveLast;
            r.remove(sequence + 1);
        }
        r.put(first, last);
        return true;
    }

    public boolean contains(String source, long sequence) {
        NavigableMap<Long, Long> r = ranges.get(source);
        if (r == null) {
            return false;
        }
        Map.Entry<Long, Long> below = r.floorEntry(sequence);
        return below != null && below.getValue() >= sequence;
    }

    /** Per source (sorted by name), its ranges in ascending order. */
    public Map<String, List<Range>> ranges() {
        Map<String, List<Range>> out = new LinkedHashMap<>();
        ranges.forEach((source, r) -> out.put(source, r.entrySet().stream().map(e -> new Range(e.getKey(), e.getValue())).toList()));
        return out;
    }

    /** Distinct batches trained on. */
    public long distinctBatches() {
        long n = 0;
        for (NavigableMap<Long, Long> r : ranges.values()) {
            for (Map.Entry<Long, Long> e : r.entrySet()) {
                n += e.getValue() - e.getKey() + 1;
            }
        }
        return n;
    }

    /** The first {@value #MAX_RETRAINED_LISTED} batches trained a second (or further) time. */
    public List<Batch> retrained() {
        return List.copyOf(retrained);
    }

    public long retrainedCount() {
        return retrainedCount;
    }

    public TrainedLedger copy() {
        return restore(ranges(), retrained, retrainedCount);
    }

    /** A ledger as saved by {@link #ranges()}, {@link #retrained()} and {@link #retrainedCount()}. */
    public static TrainedLedger restore(Map<String, List<Range>> ranges, List<Batch> retrained, long retrainedCount) {
        TrainedLedger l = new TrainedLedger();
        ranges.forEach((source, list) -> {
            NavigableMap<Long, Long> r = new TreeMap<>();
            long previousLast = -2;
            for (Range range : list) {
                if (range.first() <= previousLast + 1) {
                    throw new IllegalArgumentException("ranges of " + source + " overlap, touch or are unsorted: " + list);
                }
                r.put(range.first(), range.last());
                previousLast = range.last();
            }
            l.ranges.put(source, r);
        });
        if (retrainedCount < retrained.size()) {
            throw new IllegalArgumentException("retrained count " + retrainedCount + " below the " + retrained.size() + " listed");
        }
        l.retrained.addAll(retrained);
        l.retrainedCount = retrainedCount;
        return l;
    }
}
