package dev.abo.trainer;

/**
 * A valid batch that this model cannot train on: another input size or other class names than the model
 * has (or than the configuration demands). The message is the reason written into the dead-letter header.
 */
public final class IncompatibleBatchException extends Exception {
    public IncompatibleBatchException(String reason) {
        super(reason);
    }
}
