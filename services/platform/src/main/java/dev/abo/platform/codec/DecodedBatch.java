package dev.abo.platform.codec;

import dev.abo.core.sample.TrainingSample;
import java.time.Instant;
import java.util.List;

/**
 * A validated {@code TrainingBatch} in domain types.
 *
 * @param sourceId       producing loader, the record key
 * @param sequenceNumber batch number of that loader, from 0
 * @param inputWidth     network input width, pixels; every sample image has it
 * @param inputHeight    network input height, pixels
 * @param classNames     class names; a sample object's {@code classId} indexes this list
 * @param samples        the images with their boxes in input pixels, in record order
 * @param created        when the loader made the batch
 */
public record DecodedBatch(String sourceId, long sequenceNumber, int inputWidth, int inputHeight,
                           List<String> classNames, List<TrainingSample> samples, Instant created) {
    public DecodedBatch {
        classNames = List.copyOf(classNames);
        samples = List.copyOf(samples);
    }
}
