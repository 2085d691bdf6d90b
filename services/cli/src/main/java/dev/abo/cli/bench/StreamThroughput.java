package dev.abo.cli.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.loader.BatchAssembler;
import dev.abo.loader.BatchPlan;
import dev.abo.loader.LoaderConfig;
import dev.abo.loader.LoaderResult;
import dev.abo.loader.LoaderService;
import dev.abo.loader.SampleStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures batches/s and MB/s through a broker: {@code loaders} {@link LoaderService}s side by side in this
 * JVM, each writing {@code batchesPerLoader} batches of one source to a fresh topic (no lag cap), then one
 * plain consumer reading the topic back. The clock runs from the start of the loaders (topic creation
 * and resume included) to the last acknowledgement. Not a test: numbers depend on the machine.
 *
 * <p>{@code main} starts its own in-process broker and prints batch 16 at 128 px from synthetic:mixed with
 * 1 and 2 loaders; {@code abo bench stream} calls {@link #run} (it can run against any broker). It lives in the
 * CLI, not in the data-loader, because it wires the loader to a broker: the loader's runtime carries no broker.
 */
public final class StreamThroughput {

    /**
     * One measurement.
     *
     * @param loaders       loaders run side by side
     * @param batches       batches acknowledged, all loaders
     * @param valueBytes    record value bytes acknowledged
     * @param produce       wall time of the producing phase
     * @param consume       wall time of reading the topic back
     * @param assemblyOnly  batches/s of one thread only assembling (sample, augment, encode): the ceiling of one loader
     */
    public record Result(int loaders, long batches, long valueBytes, Duration produce, Duration consume,
                         double assemblyOnly) {

        public double batchesPerSecond() {
            return batches / seconds(produce);
        }

        public double megabytesPerSecond() {
            return valueBytes / 1e6 / seconds(produce);
        }

        public double consumeMegabytesPerSecond() {
            return valueBytes / 1e6 / seconds(consume);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d loader(s): %d batches, %.1f KB/batch; produce %.1f batches/s %.2f MB/s; "
                    + "consume %.1f MB/s; assembly alone %.1f batches/s per thread", loaders, batches,
                    valueBytes / 1e3 / batches, batchesPerSecond(), megabytesPerSecond(), consumeMegabytesPerSecond(),
                    assemblyOnly);
        }

        private static double seconds(Duration d) {
            return Math.max(1e-9, d.toNanos() / 1e9);
        }
    }

    private StreamThroughput() {
    }

    /**
     * @param settings the loader's {@code ABO_*} settings besides topics, source id and limits (e.g.
     *                 {@code ABO_SOURCE}, {@code ABO_BATCH_SIZE}, {@code ABO_INPUT_SIZE})
     */
    public static Result run(String bootstrap, int loaders, long batchesPerLoader, Map<String, String> settings)
            throws Exception {
        String topic = "bench." + loaders + "." + System.nanoTime();
        List<LoaderService> services = new ArrayList<>();
        List<SimpleMeterRegistry> registries = new ArrayList<>();
        for (int i = 0; i < loaders; i++) {
            Map<String, String> env = new HashMap<>(settings);
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            env.put("ABO_TOPIC", topic + ".train");
            env.put("ABO_EVAL_TOPIC", topic + ".eval");
            env.put("ABO_EVAL_IMAGES", "0");
            env.put("ABO_EVAL_FRACTION", "0");
            env.put("ABO_SOURCE_ID", "bench-" + i);
            env.put("ABO_SEED", Integer.toString(i + 1));
            env.put("ABO_MAX_BATCHES", Long.toString(batchesPerLoader));
            env.put("ABO_MAX_LAG_BATCHES", Long.toString(Long.MAX_VALUE / 4));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            registries.add(registry);
            services.add(new LoaderService(LoaderConfig.from(env), registry, Clock.systemUTC()));
        }
        List<AtomicReference<LoaderResult>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < loaders; i++) {
            AtomicReference<LoaderResult> r = new AtomicReference<>();
            results.add(r);
            LoaderService s = services.get(i);
            Thread t = new Thread(() -> r.set(s.run()), "bench-loader-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        Duration produce = Duration.ofNanos(System.nanoTime() - t0);
        long batches = 0;
        long bytes = 0;
        for (int i = 0; i < loaders; i++) {
            if (results.get(i).get().outcome() != LoaderResult.Outcome.COMPLETED) {
                throw new IllegalStateException("loader " + i + ": " + results.get(i).get());
            }
            batches += services.get(i).metrics().batches(topic + ".train");
            bytes += services.get(i).metrics().bytes(topic + ".train");
        }
        long c0 = System.nanoTime();
        long read = readAll(bootstrap, topic + ".train");
        Duration consume = Duration.ofNanos(System.nanoTime() - c0);
        if (read != batches) {
            throw new IllegalStateException("read " + read + " records back, " + batches + " were acknowledged");
        }
        return new Result(loaders, batches, bytes, produce, consume, assemblyOnly(settings, Math.min(40, batchesPerLoader)));
    }

    private static long readAll(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(EmbeddedKafkaBroker.MESSAGE_MAX_BYTES)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long n = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                    n++;
                }
            }
            return n;
        }
    }

    private static double assemblyOnly(Map<String, String> settings, long batches) throws Exception {
        LoaderConfig c = LoaderConfig.from(settings);
        BatchAssembler a = new BatchAssembler(SampleStreams.open(c).train(), BatchPlan.endless("bench", c.batchSize()),
                c.imageFormat(), c.maxRecordBytes(), Clock.systemUTC());
        long t0 = System.nanoTime();
        for (long s = 0; s < batches; s++) {
            a.assemble(1000 + s);
        }
        return batches / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@code StreamThroughput [batchesPerLoader [encoding]]}: batch 16, 128 px, synthetic:mixed, JPEG q90 (or
     * {@code png}, {@code rgb8}); 1 then 2 loaders.
     */
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 200;
        Map<String, String> settings = Map.of("ABO_SOURCE", "synthetic:mixed", "ABO_BATCH_SIZE", "16",
                "ABO_INPUT_SIZE", "128", "ABO_IMAGE_ENCODING", args.length > 1 ? args[1] : "jpeg");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.forTests()) {
            run(broker.bootstrapServers(), 1, Math.max(1, n / 4), settings);   // warm-up (JIT, broker)
            for (int loaders : new int[] {1, 2}) {
                System.out.println(run(broker.bootstrapServers(), loaders, n, settings));
            }
        }
    }
}
