package dev.abo.cli.demo;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of this JVM went between two moments, by part of the demo, from the CPU time of its threads
 * (grouped by thread name, {@link #group}) and of the whole process; what no Java thread accounts for (the garbage
 * collector, the JIT compiler) and threads outside the groups are "other". Threads that ended in between are
 * missing from their group (and land in "other" through the process total).
 */
final class CpuSplit {

    private final Map<Long, Long> threadNanos;
    private final Map<Long, String> threadNames;
    private final long processNanos;

    private CpuSplit(Map<Long, Long> threadNanos, Map<Long, String> threadNames, long processNanos) {
        this.threadNanos = threadNanos;
        this.threadNames = threadNames;
        this.processNanos = processNanos;
    }

    /** The CPU time of every live thread and of the process, now. */
    static CpuSplit now() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(id) : -1;
            ThreadInfo info = mx.getThreadInfo(id);
            if (t >= 0 && info != null) {
                nanos.put(id, t);
                names.put(id, info.getThreadName());
            }
        }
        long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new CpuSplit(nanos, names, process);
    }

    /** CPU seconds per group from {@code start} to this snapshot. */
    Map<String, Double> since(CpuSplit start) {
        Map<String, Double> seconds = new TreeMap<>();
        double accounted = 0;
        for (Map.Entry<Long, Long> e : threadNanos.entrySet()) {
            double s = (e.getValue() - start.threadNanos.getOrDefault(e.getKey(), 0L)) / 1e9;
            String g = group(threadNames.get(e.getKey()));
            if (!g.equals(OTHER)) {
                seconds.merge(g, s, Double::sum);
                accounted += s;
            }
        }
        if (processNanos >= 0 && start.processNanos >= 0) {
            seconds.put(OTHER, Math.max(0, (processNanos - start.processNanos) / 1e9 - accounted));
        }
        return seconds;
    }

    static final String OTHER = "other (broker, registry, Kafka clients, GC, JIT)";

    /** The part of the demo a thread belongs to, by the names the services give their threads. */
    static String group(String threadName) {
        if (threadName.equals("demo-trainer-learned")) {
            return "trainer learned";
        }
        if (threadName.equals("demo-trainer-fixed")) {
            return "trainer fixed";
        }
        if (threadName.startsWith("abo-trainer-decode")) {
            return "trainers' decoding";
        }
        if (threadName.startsWith("demo-loader-")) {
            return "loaders";
        }
        if (threadName.startsWith("abo-inference-") || threadName.startsWith("grpc-") || threadName.startsWith("demo-detect")) {
            return "inference";
        }
        return OTHER;
    }
}
