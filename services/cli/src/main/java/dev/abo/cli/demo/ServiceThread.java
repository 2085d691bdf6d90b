package dev.abo.cli.demo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service whose loop blocks (a trainer's or a loader's {@code run()}) on a thread of its own, named after it,
 * with the outcome kept: the value it returned or what it threw.
 *
 * @param <T> what the loop returns
 */
final class ServiceThread<T> {

    private final String name;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final Thread thread;

    private ServiceThread(String name, Callable<T> loop) {
        this.name = name;
        this.thread = new Thread(() -> {
            try {
                outcome.complete(loop.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
    }

    static <T> ServiceThread<T> start(String name, Callable<T> loop) {
        ServiceThread<T> t = new ServiceThread<>(name, loop);
        t.thread.start();
        return t;
    }

    String name() {
        return name;
    }

    boolean done() {
        return outcome.isDone();
    }

    /** The failure of a loop that ended by throwing, once it has. */
    Optional<Throwable> failure() {
        if (!outcome.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            outcome.join();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Waits for the loop to end.
     *
     * @return what it returned
     * @throws IllegalStateException if it threw, or did not end within {@code timeout}
     */
    T await(Duration timeout) {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not stop within " + timeout.toSeconds() + " s", e);
        }
    }
}
