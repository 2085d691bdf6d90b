package dev.abo.loader;

import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.platform.codec.ImageFormat;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch records of a replayable sample stream: batch {@code n} holds the samples {@link BatchPlan}
 * assigns it, so it is the same record (up to {@code created_unix_ms}) whenever and wherever it is
 * made. Thread-safe when the source is (the core sources are): several threads may assemble different
 * sequence numbers at once.
 */
public final class BatchAssembler {

    private final SampleSource source;
    private final BatchPlan plan;
    private final BatchEncoder encoder;

    /** @param maxRecordBytes the topic's record size limit, see {@link BatchEncoder} */
    public BatchAssembler(SampleSource source, BatchPlan plan, ImageFormat format, long maxRecordBytes, Clock clock) {
        this.source = source;
        this.plan = plan;
        this.encoder = new BatchEncoder(plan.sourceId(), plan.batchSize(), source.classNames(), format, maxRecordBytes,
                clock);
    }

    public BatchPlan plan() {
        return plan;
    }

    /**
     * Batch {@code sequenceNumber}.
     *
     * @throws IOException            when a sample's image cannot be read
     * @throws BatchTooLargeException when the record would exceed the topic's limit
     */
    public TrainingBatch assemble(long sequenceNumber) throws IOException {
        long first = plan.firstSample(sequenceNumber);
        int n = plan.size(sequenceNumber);
        List<TrainingSample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            samples.add(source.sample(first + i));
        }
        return encoder.encode(sequenceNumber, samples);
    }
}
