package dev.abo.inference.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * How busy the JIT compilers of this JVM have been: the CPU time of the compiler threads (Linux {@code /proc};
 * the compilation counter of the JVM only grows when a compilation finishes, and a large one on a busy machine
 * runs for seconds) and the JVM's total compilation time.
 */
final class JitActivity {
    /** Clock ticks per second of {@code /proc/<pid>/task/<tid>/stat} (USER_HZ, 100 on x86-64 Linux). */
    private static final long TICKS_PER_SECOND = 100;
    private static final Path TASKS = Path.of("/proc/self/task");

    private JitActivity() {
    }

    /** CPU time (user + system) of the threads named {@code C1/C2 CompilerThread*} so far; 0 where /proc is absent. */
    static long compilerCpuNanos() {
        if (!Files.isDirectory(TASKS)) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                ticks += compilerTicks(task);
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** utime + stime of one task if it is a compiler thread, else 0 (also when it exited meanwhile). */
    private static long compilerTicks(Path task) {
        try {
            String comm = Files.readString(task.resolve("comm")).trim();
            if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
                return 0;
            }
            String stat = Files.readString(task.resolve("stat"));
            // fields after "pid (comm) ": state is field 3, utime field 14, stime field 15
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The JVM's total compilation time so far in ms (0 where it is not reported). */
    static long compileMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
