package dev.abo.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.sample.TrainingSample;
import dev.abo.platform.codec.DecodedBatch;

/**
 * What a batch must have for a model to train on it: the model's square input size, and class names that
 * are all among the model's (in any order, any subset: sources with different class lists feed one model).
 * {@link #toModelClasses} renumbers a fitting batch's class ids by name into the model's list.
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
        List<String> unknown = notIn(batch.classNames(), classNames);
        if (!unknown.isEmpty()) {
            return Optional.of("batch classes " + unknown + " are not among the model's " + classNames);
        }
        return Optional.empty();
    }

    /**
     * {@code batch} with its class names replaced by the model's and every object's class id renumbered by
     * name; the batch itself when its classes already are the model's, in order.
     *
     * @throws IllegalArgumentException when {@link #mismatch} would name a reason
     */
    public DecodedBatch toModelClasses(DecodedBatch batch) {
        Optional<String> reason = mismatch(batch);
        if (reason.isPresent()) {
            throw new IllegalArgumentException(reason.get());
        }
        if (batch.classNames().equals(classNames)) {
            return batch;
        }
        int[] id = batch.classNames().stream().mapToInt(classNames::indexOf).toArray();
        List<TrainingSample> samples = new ArrayList<>(batch.samples().size());
        for (TrainingSample s : batch.samples()) {
            List<LabeledObject> objects = new ArrayList<>(s.objects().size());
            for (LabeledObject o : s.objects()) {
                objects.add(new LabeledObject(o.box(), id[o.classId()], o.difficult(), o.crowd(), o.area()));
            }
            samples.add(new TrainingSample(s.image(), objects, s.origin()));
        }
        return new DecodedBatch(batch.sourceId(), batch.sequenceNumber(), batch.inputWidth(), batch.inputHeight(),
                classNames, samples, batch.created());
    }

    /**
     * The shape of a new model fixed by its first valid batch, checked against what the configuration demands:
     * the configured classes when there are some (the batch's must be among them), else the batch's.
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
        if (requiredClasses.isPresent()) {
            List<String> unknown = notIn(batch.classNames(), requiredClasses.get());
            if (!unknown.isEmpty()) {
                throw new IncompatibleBatchException("batch classes " + unknown + " are not among ABO_CLASS_NAMES "
                        + requiredClasses.get());
            }
        }
        if (w != h) {
            throw new IncompatibleBatchException("batch input is " + w + "x" + h + " px: the network input is square");
        }
        if (w % stride != 0) {
            throw new IncompatibleBatchException("batch input " + w + " px is not a multiple of the backbone's stride " + stride);
        }
        return new ModelShape(w, requiredClasses.orElse(batch.classNames()));
    }

    private static List<String> notIn(List<String> names, List<String> allowed) {
        return names.stream().filter(n -> !allowed.contains(n)).toList();
    }
}
