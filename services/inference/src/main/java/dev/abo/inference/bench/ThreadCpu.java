package dev.abo.inference.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where this JVM's CPU time goes, by kind of thread: Linux {@code /proc/self/task/<tid>/stat} (user + system
 * ticks) grouped by thread name, plus the JVM's total compilation time. Ticks are 10 ms, so a difference is only
 * meaningful over rounds of a second or more; threads that exited take their time with them.
 */
final class ThreadCpu {
    /** Clock ticks per second of {@code /proc/<pid>/task/<tid>/stat} (USER_HZ, 100 on x86-64 Linux). */
    private static final long TICKS_PER_SECOND = 100;
    private static final Path TASKS = Path.of("/proc/self/task");

    /** Kinds of thread, recognised by the first 15 characters of the name (all that /proc keeps). */
    enum Group {
        /** The benchmark's calling threads: the whole in-process path, or blocking stubs waiting for gRPC. */
        CALLERS("callers", "abo-bench-clien"),
        /** The server's inference workers (decode, forward pass, answer). */
        WORKERS("inference workers", "abo-bench-infer"),
        /** The benchmark client's own event loop (its channel's Netty thread). */
        CLIENT_TRANSPORT("client event loop", "bench-client-lo"),
        /** gRPC/Netty threads of the server: its event loops, timers, gRPC's default executor. */
        TRANSPORT("server gRPC/Netty threads", "grpc-", "globalEventExec", "nioEventLoopGro"),
        /** The C1/C2 compiler threads. */
        JIT("JIT compilers", "C1 CompilerThre", "C2 CompilerThre"),
        /** Garbage collection and other VM operations (the serial collector runs in the VM thread). */
        GC_VM("GC/VM", "VM Thread", "GC Thread", "VM Periodic Tas"),
        /** Everything else (JavaCPP/ND4J deallocators, the main thread, ...). */
        OTHER("other");

        final String label;
        private final List<String> prefixes;

        Group(String label, String... prefixes) {
            this.label = label;
            this.prefixes = List.of(prefixes);
        }

        static Group of(String comm) {
            for (Group g : values()) {
                for (String p : g.prefixes) {
                    if (comm.startsWith(p)) {
                        return g;
                    }
                }
            }
            return OTHER;
        }
    }

    private ThreadCpu() {
    }

    /** CPU time so far in ns by group (every group present; all 0 where /proc is absent). */
    static Map<Group, Long> byGroup() {
        Map<Group, Long> nanos = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            nanos.put(g, 0L);
        }
        if (!Files.isDirectory(TASKS)) {
            return nanos;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                readTask(task, nanos);
            }
        } catch (IOException e) {
            return nanos;
        }
        return nanos;
    }

    /** {@code after - before} per group, never negative (a thread may have exited in between). */
    static Map<Group, Long> difference(Map<Group, Long> after, Map<Group, Long> before) {
        Map<Group, Long> d = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            d.put(g, Math.max(0, after.getOrDefault(g, 0L) - before.getOrDefault(g, 0L)));
        }
        return d;
    }

    /** CPU time (user + system) of the compiler threads so far; 0 where /proc is absent. */
    static long compilerCpuNanos() {
        return byGroup().get(Group.JIT);
    }

    /** Adds one task's utime + stime to its group (nothing when it exited meanwhile). */
    private static void readTask(Path task, Map<Group, Long> nanos) {
        try {
            String comm = Files.readString(task.resolve("comm")).trim();
            String stat = Files.readString(task.resolve("stat"));
            // fields after "pid (comm) ": state is field 3, utime field 14, stime field 15
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            long ticks = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
            nanos.merge(Group.of(comm), ticks * (1_000_000_000L / TICKS_PER_SECOND), Long::sum);
        } catch (IOException | RuntimeException e) {
            // the thread exited between listing and reading
        }
    }

    /** The JVM's total compilation time so far in ms (0 where it is not reported). */
    static long compileMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
