package dev.abo.trainer.bench;

import org.apache.kafka.clients.admin.Admin;
import dev.abo.platform.topic.TopicAdmin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.trainer.TrainerConfig;
import dev.abo.trainer.TrainerListener;
import dev.abo.trainer.TrainerService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * How fast the trainer service trains from a topic that {@code producers} loaders feed at the same time, in
 * this process: steps per second and the share of the loop's time spent waiting for data (the
 * {@code abo.trainer.data.wait.fraction} definition: wait / (wait + train), evaluation and checkpoints
 * excluded). The producers run flat out on their own threads (as loaders would, competing for the same
 * cores) but stop {@link Settings#maxLead} records ahead of the trainer, which bounds memory. The first
 * {@link Settings#warmupSteps} steps (JIT, DL4J start-up, the backlog) are not measured. Each run uses fresh
 * topics and group. A benchmark, not a test: it prints numbers and asserts nothing.
 */
public final class StreamBench {

    private StreamBench() {
    }

    /** Batch {@code sequence} of producer {@code producer} (0-based), e.g. a data-loader's BatchAssembler. */
    @FunctionalInterface
    public interface BatchFeed {
        TrainingBatch batch(int producer, long sequence) throws IOException;
    }

    /**
     * @param producers     concurrent producers
     * @param inputSize     input side of the batches, pixels (the feed must make batches of this size)
     * @param warmupSteps   steps before the measurement
     * @param measuredSteps steps measured
     * @param maxLead       records the producers may be ahead of the trainer, in total
     * @param trainerEnv    extra trainer settings ({@code ABO_BACKBONE}, ...); topics, group and checkpoint dir are set here
     */
    public record Settings(int producers, int inputSize, int warmupSteps, int measuredSteps, int maxLead,
                           Map<String, String> trainerEnv) {
        public Settings {
            trainerEnv = Map.copyOf(trainerEnv);
            if (producers < 1 || warmupSteps < 1 || measuredSteps < 1 || maxLead < 1) {
                throw new IllegalArgumentException("producers, warmupSteps, measuredSteps, maxLead must be >= 1");
            }
        }
    }

    /**
     * @param stepsPerSecond measured steps / wall time between the end of the last warm-up step and the last step
     * @param waitFraction   waited / (waited + trained) over the measured steps
     * @param meanWaitMs     mean wait before a step
     * @param meanTrainMs    mean step time
     * @param produced       records the producers wrote in the whole run
     */
    public record Result(int producers, int inputSize, int steps, double seconds, double stepsPerSecond,
                         double waitFraction, double meanWaitMs, double meanTrainMs, long produced) {
        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "%d producer(s) %4d px: %6.2f steps/s, waiting %5.2f %% (wait %6.1f ms, step %7.1f ms per step), %d steps, %d produced",
                    producers, inputSize, stepsPerSecond, 100 * waitFraction, meanWaitMs, meanTrainMs, steps, produced);
        }
    }

    public static Result run(String bootstrap, Path workDir, Settings s, BatchFeed feed) throws Exception {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new HashMap<>(s.trainerEnv());
        env.put(KafkaClients.BOOTSTRAP_KEY, bootstrap);
        env.put("ABO_TRAIN_TOPIC", name + ".train");
        env.put("ABO_EVAL_TOPIC", name + ".eval");
        env.put("ABO_GROUP_ID", name);
        env.put("ABO_CHECKPOINT_DIR", workDir.resolve(name).toString());
        env.putIfAbsent("ABO_CHECKPOINT_EVERY", String.valueOf(Long.MAX_VALUE / 2));
        env.putIfAbsent("ABO_EVAL_EVERY", "0");
        TrainerConfig config = TrainerConfig.from(env);
        // declare the topics before any producer sends: a producer's metadata request would otherwise let
        // the broker auto-create the train topic with 1 partition, and the trainer's check then refuses it
        try (Admin admin = KafkaClients.admin(ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, bootstrap)))) {
            TopicAdmin.ensure(admin, List.of(config.trainSpec(), config.trainSpec().dlq(), config.evalSpec(),
                    config.evalSpec().dlq()));
        }

        int total = s.warmupSteps() + s.measuredSteps();
        AtomicLong trained = new AtomicLong();
        AtomicLong produced = new AtomicLong();
        long[] waitNanos = new long[1];
        long[] trainNanos = new long[1];
        long[] window = new long[2];
        CountDownLatch finished = new CountDownLatch(1);
        TrainerService service = new TrainerService(config, new SimpleMeterRegistry(), new TrainerListener() {
            @Override
            public void onStep(StepEvent e, ComputationGraph net) {
                long n = trained.incrementAndGet();
                if (n == s.warmupSteps()) {
                    window[0] = System.nanoTime();
                } else if (n > s.warmupSteps() && n <= total) {
                    waitNanos[0] += e.waitNanos();
                    trainNanos[0] += e.trainNanos();
                    if (n == total) {
                        window[1] = System.nanoTime();
                        finished.countDown();
                    }
                }
            }
        });
        CompletableFuture<Void> trainer = CompletableFuture.runAsync(() -> {
            try {
                service.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> new Thread(r, "bench-trainer").start());

        List<Thread> producers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ConfigSource pc = ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, bootstrap));
        for (int p = 0; p < s.producers(); p++) {
            int index = p;
            Thread t = new Thread(() -> {
                try (KafkaProducer<String, TrainingBatch> out = KafkaClients.producer(pc, config.trainSpec())) {
                    for (long seq = 0; finished.getCount() > 0 && !trainer.isDone(); seq++) {
                        while (produced.get() - trained.get() >= s.maxLead() && finished.getCount() > 0 && !trainer.isDone()) {
                            Thread.sleep(2);
                        }
                        TrainingBatch b = feed.batch(index, seq);
                        out.send(new ProducerRecord<>(config.trainTopic(), b.getSourceId(), b));
                        produced.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    if (finished.getCount() > 0) {      // after the end, the interrupt that stops us may surface here
                        failures.add(e);
                    }
                }
            }, "bench-producer-" + p);
            t.start();
            producers.add(t);
        }
        while (!finished.await(200, TimeUnit.MILLISECONDS)) {
            if (trainer.isDone() || !failures.isEmpty()) {
                break;
            }
        }
        service.stop();
        for (Thread t : producers) {
            t.join();                    // they see `finished` (or the trainer's end) within one batch
        }
        try {
            trainer.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the trainer failed: " + e.getCause(), e.getCause());
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a producer failed: " + failures.get(0), failures.get(0));
        }
        if (finished.getCount() > 0) {
            throw new IllegalStateException("the trainer stopped after " + trained.get() + " of " + total + " steps");
        }
        int n = s.measuredSteps();
        double seconds = (window[1] - window[0]) / 1e9;
        return new Result(s.producers(), s.inputSize(), n, seconds, n / seconds,
                (double) waitNanos[0] / (waitNanos[0] + trainNanos[0]), waitNanos[0] / 1e6 / n, trainNanos[0] / 1e6 / n,
                produced.get());
    }
}
