package dev.abo.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds. The timeout is a bound against hanging, not an assertion on speed: it is
 * generous, and when it is reached the failure names what was awaited, the last value seen (or the last
 * exception) and the caller's diagnostics (typically the tail of a service's log).
 */
final class Await {

    private static final Duration POLL = Duration.ofMillis(200);

    private Await() {
    }

    /** Waits until {@code probe} yields a value, and returns it. Exceptions of the probe count as "not yet". */
    static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                Optional<T> v = probe.get();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + timeout.toSeconds() + " s waiting for " + what
                        + (last != null ? " (last error: " + last + ")" : "") + "\n" + diagnostics.get(), last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    static void until(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> diagnostics) {
        value(what, timeout, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty(), diagnostics);
    }
}
