package dev.abo.loader;

/**
 * A batch whose Kafka record would exceed the topic's record size limit: a configuration error (the
 * same settings would fail again), so the loader stops instead of skipping the batch.
 */
public final class BatchTooLargeException extends RuntimeException {
    private final long recordBytes;
    private final long maxRecordBytes;

    public BatchTooLargeException(String message, long recordBytes, long maxRecordBytes) {
        super(message);
        this.recordBytes = recordBytes;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The record's size: value, key and record overhead, bytes. */
    public long recordBytes() {
        return recordBytes;
    }

    /** The limit it exceeds, bytes. */
    public long maxRecordBytes() {
        return maxRecordBytes;
    }
}
