package dev.abo.cli.bench;

import java.util.Arrays;

/** Wall-clock timings of repeated runs of one piece of work: the first (cold) run and the rest. */
record Timing(double coldSeconds, double[] warmSeconds) {

    interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} once cold, then {@code warmRuns} more times. */
    static Timing measure(int warmRuns, Work work) throws Exception {
        long t = System.nanoTime();
        work.run();
        double cold = (System.nanoTime() - t) / 1e9;
        double[] warm = new double[warmRuns];
        for (int i = 0; i < warmRuns; i++) {
            t = System.nanoTime();
            work.run();
            warm[i] = (System.nanoTime() - t) / 1e9;
        }
        return new Timing(cold, warm);
    }

    double warmMedian() {
        if (warmSeconds.length == 0) {
            return coldSeconds;
        }
        double[] s = warmSeconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    double warmMin() {
        return warmSeconds.length == 0 ? coldSeconds : Arrays.stream(warmSeconds).min().orElseThrow();
    }
}
