package dev.abo.trainer;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.abo.platform.codec.DecodedBatch;

/**
 * What a batch must have for a model to train on it: the model's square input size and its class names in
 * class-id order.
 */
public record ModelShape(int inputSize, List<String> classNames) {

    public ModelShape {
        classNames = List.copyOf(classNames);
    }

    /** Why {@code batch} does not fit this model, or empty when it does. */
    public Optional<String> mismatch(DecodedBatch batch) {
        if (batch.inputWidth() != inputSize || batch.inputHeight() != inputSize) {
            return Optional.of("batch input is " + batch.inputWidth() + "x" + batch.inputHeight() + " px but the model's is "
                    + inputSize + "x" + inputSize);
        }
        if (!batch.classNames().equals(classNames)) {
            return Optional.of("batch classes " + batch.classNames() + " differ from the model's " + classNames);
        }
        return Optional.empty();
    }

    /**
     * The shape of a new model fixed by its first valid batch, checked against what the configuration demands.
     *
     * @param requiredSize    the configured input size, if any
     * @param requiredClasses the configured class names, if any
     * @param stride          the backbone's stride: the input side must be a multiple of it
     * @throws IncompatibleBatchException with the reason the batch cannot start a model
     */
    public static ModelShape forFirstBatch(DecodedBatch batch, OptionalInt requiredSize,
                                           Optional<List<String>> requiredClasses, int stride)
            throws IncompatibleBatchException {
        int w = batch.inputWidth();
        int h = batch.inputHeight();
        if (requiredSize.isPresent() && (w != requiredSize.getAsInt() || h != requiredSize.getAsInt())) {
            throw new IncompatibleBatchException("batch input is " + w + "x" + h + " px but ABO_INPUT_SIZE is "
                    + requiredSize.getAsInt());
        }
        if (requiredClasses.isPresent() && !requiredClasses.get().equals(batch.classNames())) {
            throw new IncompatibleBatchException("batch classes " + batch.classNames() + " differ from ABO_CLASS_NAMES "
                    + requiredClasses.get());
        }
        if (w != h) {
            throw new IncompatibleBatchException("batch input is " + w + "x" + h + " px: the network input is square");
        }
        if (w % stride != 0) {
            throw new IncompatibleBatchException("batch input " + w + " px is not a multiple of the backbone's stride " + stride);
        }
        return new ModelShape(w, batch.classNames());
    }
}
