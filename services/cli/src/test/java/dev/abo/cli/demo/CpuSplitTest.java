package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuSplitTest {

    @Test
    void threadsAreGroupedByTheNamesTheServicesGiveThem() {
        assertThat(CpuSplit.group("demo-trainer-learned")).isEqualTo("trainer learned");
        assertThat(CpuSplit.group("demo-trainer-fixed")).isEqualTo("trainer fixed");
        assertThat(CpuSplit.group("abo-trainer-decode")).isEqualTo("trainers' decoding");
        assertThat(CpuSplit.group("demo-loader-camera")).isEqualTo("loaders");
        assertThat(CpuSplit.group("abo-inference-1")).isEqualTo("inference");
        assertThat(CpuSplit.group("grpc-nio-worker-ELG-1-2")).isEqualTo("inference");
        assertThat(CpuSplit.group("kafka-producer-network-thread | producer-1")).isEqualTo(CpuSplit.OTHER);
        assertThat(CpuSplit.group("data-plane-kafka-request-handler-0")).isEqualTo(CpuSplit.OTHER);
    }

    @Test
    void theCpuOfAThreadBusyInBetweenIsCountedInItsGroupAndTheRestIsOther() throws Exception {
        CpuSplit start = CpuSplit.now();
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L;
            double x = 0;
            while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
            }
            if (x < 0) {
                System.out.println(x);
            }
            try {
                Thread.sleep(2000);      // still alive when the second snapshot is taken
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-loader-test");
        t.setDaemon(true);
        t.start();
        Thread.sleep(600);
        var seconds = CpuSplit.now().since(start);
        t.interrupt();
        // 0.2 s of busy loop on its own thread (a little less if descheduled on a loaded machine, never more than 0.6 s)
        assertThat(seconds.get("loaders")).isBetween(0.05, 0.6);
        assertThat(seconds.get(CpuSplit.OTHER)).isGreaterThanOrEqualTo(0.0);
    }
}
