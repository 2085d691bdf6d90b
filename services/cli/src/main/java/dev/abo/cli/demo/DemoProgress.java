package dev.abo.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's running commentary: events as they happen and a periodic status line, each stamped with the time
 * since the start. Safe from any thread (the registry log, the Detect probe and the main loop all report).
 */
final class DemoProgress {

    private final PrintWriter out;
    private final long startNanos;

    DemoProgress(PrintWriter out, long startNanos) {
        this.out = out;
        this.startNanos = startNanos;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    synchronized void event(String text) {
        out.println("[" + clock(elapsedSeconds()) + "] " + text);
        out.flush();
    }

    /** The status line: where both trainers are, the camera's phase, the registry and what inference serves. */
    void status(double endSeconds, TrainerWatch learned, TrainerWatch fixed, String camera, int versions, long promoted,
                long serving, DetectProbe probe) {
        double now = elapsedSeconds();
        String ap = learned.lastEval().map(e -> String.format(Locale.ROOT, ", AP50 %.3f", e.ap50())).orElse("");
        String fixedAp = fixed.lastEval().map(e -> String.format(Locale.ROOT, ", AP50 %.3f", e.ap50())).orElse("");
        event(String.format(Locale.ROOT,
                "%s left | learned step %d (%.2f/s, loss %.2f%s) | fixed step %d%s | camera: %s | registry: %d versions, "
                        + "promoted %s | serving %s | Detect %d ok, %d failed",
                clock(Math.max(0, endSeconds - now)), learned.stepCount(), learned.stepsPerSecond(), learned.recentLoss(20), ap,
                fixed.stepCount(), fixedAp, camera, versions, promoted < 0 ? "none" : "v" + promoted,
                serving < 0 ? "nothing yet" : "v" + serving, probe == null ? 0 : probe.served(), probe == null ? 0 : probe.failed()));
    }

    /** {@code m:ss}. */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
