package dev.abo.trainer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A {@link TrainerService} running on its own thread, as the process would run it. */
final class RunningTrainer implements AutoCloseable {

    final TrainerService service;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    RunningTrainer(TrainerConfig config, TrainerListener listener) {
        this.service = new TrainerService(config, registry, listener);
        Thread t = new Thread(() -> {
            try {
                service.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "test-trainer");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the run to end; returns its failure, or null if it ended normally. */
    Throwable awaitEnd(long seconds) throws InterruptedException, TimeoutException {
        try {
            done.get(seconds, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * Waits until {@code condition} is counted down; fails at once with the trainer's own failure if it
     * ends first, so that a broken trainer does not look like a slow one.
     */
    void await(java.util.concurrent.CountDownLatch condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.await(100, TimeUnit.MILLISECONDS)) {
            if (done.isDone()) {
                Throwable failure = null;
                try {
                    done.get();
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                throw new AssertionError("the trainer ended before " + what, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " after 120 s");
            }
        }
    }

    /** Graceful stop; rethrows a failure of the run. */
    void stopAndAwait() throws Exception {
        service.stop();
        Throwable failure = awaitEnd(120);
        if (failure != null) {
            throw new AssertionError("the trainer failed", failure);
        }
    }

    @Override
    public void close() throws Exception {
        if (!done.isDone()) {
            service.stop();
            awaitEnd(120);
        }
    }
}
