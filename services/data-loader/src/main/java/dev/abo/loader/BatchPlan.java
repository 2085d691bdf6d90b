package dev.abo.loader;

import java.util.OptionalLong;

/**
 * Which samples batch {@code n} of a loader holds: samples {@code n*B .. n*B+B-1} of its stream, so
 * batch {@code n} is a pure function of the stream and {@code n}, and a restarted loader resumes at
 * any sequence number without producing the batches before it. A finite stream (an evaluation set)
 * ends with a shorter batch holding the remainder.
 *
 * @param sourceId    the loader's identity, the record key
 * @param batchSize   images per batch, >= 1
 * @param sampleCount number of samples of a finite stream; empty for an endless one
 */
public record BatchPlan(String sourceId, int batchSize, OptionalLong sampleCount) {

    public BatchPlan {
        if (sourceId.isEmpty()) {
            throw new IllegalArgumentException("source id must not be empty");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (sampleCount.isPresent() && sampleCount.getAsLong() < 1) {
            throw new IllegalArgumentException("a finite stream needs >= 1 sample, got " + sampleCount.getAsLong());
        }
    }

    /** An endless stream. */
    public static BatchPlan endless(String sourceId, int batchSize) {
        return new BatchPlan(sourceId, batchSize, OptionalLong.empty());
    }

    /** A stream of {@code sampleCount} samples. */
    public static BatchPlan finite(String sourceId, int batchSize, long sampleCount) {
        return new BatchPlan(sourceId, batchSize, OptionalLong.of(sampleCount));
    }

    /** Number of batches of a finite stream ({@code ceil(sampleCount / batchSize)}); empty when endless. */
    public OptionalLong batchCount() {
        return sampleCount.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of((sampleCount.getAsLong() + batchSize - 1) / batchSize);
    }

    /** Whether batch {@code sequenceNumber} exists. */
    public boolean has(long sequenceNumber) {
        return sequenceNumber >= 0 && (batchCount().isEmpty() || sequenceNumber < batchCount().getAsLong());
    }

    /** Index of the first sample of batch {@code sequenceNumber}. */
    public long firstSample(long sequenceNumber) {
        require(sequenceNumber);
        return sequenceNumber * batchSize;
    }

    /** Number of samples in batch {@code sequenceNumber}: the batch size, or the remainder for the last batch of a finite stream. */
    public int size(long sequenceNumber) {
        long first = firstSample(sequenceNumber);
        return sampleCount.isEmpty() ? batchSize : (int) Math.min(batchSize, sampleCount.getAsLong() - first);
    }

    private void require(long sequenceNumber) {
        if (sequenceNumber < 0) {
            throw new IllegalArgumentException("sequence number must be >= 0, got " + sequenceNumber);
        }
        if (!has(sequenceNumber)) {
            throw new IllegalArgumentException("batch " + sequenceNumber + " is past the end of " + sourceId + ": "
                    + sampleCount.getAsLong() + " samples make " + batchCount().getAsLong() + " batches of " + batchSize);
        }
        if (sequenceNumber > Long.MAX_VALUE / batchSize - 1) {
            throw new IllegalArgumentException("batch " + sequenceNumber + " of " + batchSize
                    + " samples overflows the sample index");
        }
    }
}
