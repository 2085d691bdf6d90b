package dev.abo.loader;

import java.util.Objects;

/**
 * How a {@link LoaderService#run()} ended.
 *
 * @param outcome what happened
 * @param message one line for the operator (the error, or what was written)
 */
public record LoaderResult(Outcome outcome, String message) {

    public LoaderResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
    }

    /** The ways a loader stops, with the process exit code of each. */
    public enum Outcome {
        /** Batches {@code 0..ABO_MAX_BATCHES-1} are on the topic. */
        COMPLETED(0),
        /** {@link LoaderService#stop()} (SIGTERM): everything sent was flushed. */
        STOPPED(0),
        /** The running thread was interrupted: the producer was closed without waiting (like a crash). */
        ABORTED(1),
        /** A fatal Kafka error or an unreadable source. */
        FAILED(1),
        /** A configuration that can never work: a batch over the record limit, topics that differ from their declaration. */
        MISCONFIGURED(2);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public int exitCode() {
        return outcome.exitCode();
    }
}
