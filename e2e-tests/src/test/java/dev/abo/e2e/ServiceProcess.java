package dev.abo.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child JVM ({@link ChildJvm}) with its settings in the environment, stdout and
 * stderr in {@code <log dir>/<name>.log}. The inherited environment loses every {@code ABO_*}, {@code KAFKA_*}
 * and {@code METRICS_*} key (the services reject unknown {@code ABO_*} keys) and gets {@code OMP_NUM_THREADS=1}.
 * {@link #kill()} is SIGKILL (no shutdown hook runs), {@link #stop(Duration)} SIGTERM (the graceful path).
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String name, ChildJvm jvm, Map<String, String> env, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(jvm.command());
            Map<String, String> e = pb.environment();
            e.keySet().removeIf(k -> k.startsWith("ABO_") || k.startsWith("KAFKA_") || k.startsWith("METRICS_"));
            e.put("OMP_NUM_THREADS", "1");
            e.putAll(env);
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            return new ServiceProcess(name, pb.start(), log);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + name, ex);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the JVM dies at once, nothing of it runs any more. Returns the exit code (137). */
    int kill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, then waits up to {@code grace} for the exit; returns the exit code. */
    int stop(Duration grace) {
        process.destroy();
        return awaitExit(grace);
    }

    /** Waits for the process to end by itself (a loader with a batch limit); returns the exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s; log tail:\n" + logTail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /** The whole log so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Kills the process if it still runs (the end of a test, whatever happened). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
