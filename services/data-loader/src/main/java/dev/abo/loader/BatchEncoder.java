package dev.abo.loader;

import dev.abo.core.sample.TrainingSample;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Encodes one loader's samples as batch records ({@link TrainingBatchCodec}) and refuses a record that
 * would not fit the topic. Thread-safe.
 */
public final class BatchEncoder {

    /**
     * Allowance for the Kafka record around the value, bytes: the v2 record-batch header (61) plus the
     * record's own varint fields and attributes (< 25), rounded up. Key bytes are counted exactly.
     */
    public static final int RECORD_OVERHEAD_BYTES = 100;

    private final String sourceId;
    private final int batchSize;
    private final List<String> classNames;
    private final ImageFormat format;
    private final long maxRecordBytes;
    private final Clock clock;

    /**
     * @param batchSize      the configured batch size (named in the error message)
     * @param maxRecordBytes the topic's {@code max.message.bytes} (or the producer's {@code max.request.size}
     *                       if smaller)
     */
    public BatchEncoder(String sourceId, int batchSize, List<String> classNames, ImageFormat format,
                        long maxRecordBytes, Clock clock) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("max record bytes must be >= 1, got " + maxRecordBytes);
        }
        this.sourceId = sourceId;
        this.batchSize = batchSize;
        this.classNames = List.copyOf(classNames);
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
        this.clock = clock;
    }

    /**
     * Batch {@code sequenceNumber} holding {@code samples}.
     *
     * @throws BatchTooLargeException when its record exceeds the limit, saying by how much and what to change
     */
    public TrainingBatch encode(long sequenceNumber, List<TrainingSample> samples) {
        TrainingBatch batch = TrainingBatchCodec.encode(sourceId, sequenceNumber, samples, classNames, format, clock);
        long bytes = recordBytes(batch);
        if (bytes > maxRecordBytes) {
            String lighter = format instanceof ImageFormat.Jpeg j
                    ? "a lower JPEG quality (ABO_JPEG_QUALITY, now " + j.quality() + ")"
                    : "JPEG images (ABO_IMAGE_ENCODING=jpeg, now " + format + ")";
            throw new BatchTooLargeException("batch " + sequenceNumber + " of '" + sourceId + "' makes a " + bytes
                    + "-byte record (" + samples.size() + " images " + batch.getInputWidthPx() + "x"
                    + batch.getInputHeightPx() + ", " + format + "), over the topic's limit of " + maxRecordBytes
                    + " bytes by " + (bytes - maxRecordBytes) + "; use a smaller batch (ABO_BATCH_SIZE, now "
                    + batchSize + ") or " + lighter + ", or raise the topic's max.message.bytes and "
                    + "ABO_MAX_RECORD_BYTES", bytes, maxRecordBytes);
        }
        return batch;
    }

    /** The Kafka record size of a batch: value + key (the source id, UTF-8) + {@link #RECORD_OVERHEAD_BYTES}. */
    public static long recordBytes(TrainingBatch batch) {
        return batch.getSerializedSize() + batch.getSourceId().getBytes(StandardCharsets.UTF_8).length
                + RECORD_OVERHEAD_BYTES;
    }
}
