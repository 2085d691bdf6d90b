package dev.abo.loader;

import java.util.Locale;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The kinds of error the loader counts ({@code abo.loader.errors{kind=...}}) and how it reacts to each.
 */
public enum ErrorKind {
    /** A batch over the record size limit: stop (exit 2) or skip it, per {@code ABO_ON_TOO_LARGE}. */
    TOO_LARGE,
    /**
     * A send the producer gave up on after its own retries ({@code delivery.timeout.ms}) with a retriable
     * error (broker unreachable, leader moving): the loader drops its producer, backs off, and resumes from
     * the log with a new one, so nothing is duplicated or reordered.
     */
    TRANSIENT,
    /** Authentication, authorization, an unknown topic after ensuring it, or anything unexpected: stop (exit 1). */
    FATAL,
    /** An image of the source cannot be read: stop (exit 1), nothing is skipped silently. */
    SOURCE;

    /** The metric tag value, e.g. {@code too_large}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How a failed send is treated. */
    public static ErrorKind ofSendFailure(Throwable error) {
        if (error instanceof RecordTooLargeException) {
            return TOO_LARGE;
        }
        if (error instanceof AuthenticationException || error instanceof AuthorizationException) {
            return FATAL;
        }
        return error instanceof RetriableException ? TRANSIENT : FATAL;
    }
}
