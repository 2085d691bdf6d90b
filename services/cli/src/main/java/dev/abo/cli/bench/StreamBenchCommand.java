package dev.abo.cli.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.cli.JsonOutput;
import dev.abo.detector.Nd4jSetup;
import dev.abo.loader.BatchAssembler;
import dev.abo.loader.BatchPlan;
import dev.abo.loader.LoaderConfig;
import dev.abo.loader.SampleStreams;
import dev.abo.platform.topic.Topics;
import dev.abo.trainer.bench.StreamBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo bench stream}: the streaming path on an in-process broker, in one run. First the loaders alone
 * ({@link StreamThroughput}: batches/s and MB/s of 1 and 2 loader services writing a fresh topic,
 * after a short warm-up run), then the trainer service fed by 1 and 2 loader-made batch streams (trainer's
 * {@link StreamBench}: steps/s and the share of the loop's time spent waiting for data). Numbers, not a test.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Batches/s and MB/s through an embedded broker with 1 and 2 loaders, and the trainer's steps/s "
                + "and data-wait fraction with 1 and 2 loaders feeding it.")
public final class StreamBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input-size", defaultValue = "128", description = "image side, px (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--batch", defaultValue = "16", description = "images per batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batches", defaultValue = "60", description = "batches per loader in the broker run (default ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--steps", defaultValue = "15", description = "trainer steps measured per run (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup-steps", defaultValue = "3", description = "trainer steps before measuring (default ${DEFAULT-VALUE})")
    int warmupSteps;

    @Option(names = "--max-lead", defaultValue = "8", description = "records the loaders may be ahead of the trainer (default ${DEFAULT-VALUE})")
    int maxLead;

    @Option(names = "--encoding", defaultValue = "jpeg", description = "image encoding of the batches: jpeg, png, rgb8 (default ${DEFAULT-VALUE})")
    String encoding;

    @Option(names = "--backbone", description = "trainer backbone channels, e.g. 16,32,64,128,128 (default: the trainer's)")
    String backbone;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (inputSize < 16 || batch < 1 || batches < 1 || steps < 1 || warmupSteps < 1 || maxLead < 1) {
            throw new IllegalArgumentException("--input-size >= 16 and --batch, --batches, --steps, --warmup-steps, --max-lead >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> loader = Map.of("ABO_SOURCE", "synthetic:mixed", "ABO_BATCH_SIZE", String.valueOf(batch),
                "ABO_INPUT_SIZE", String.valueOf(inputSize), "ABO_IMAGE_ENCODING", encoding);
        LoaderConfig.from(loader);                         // a bad size or encoding is a user error before any work
        Map<String, String> trainerEnv = new HashMap<>();
        if (backbone != null && !backbone.isBlank()) {
            trainerEnv.put("ABO_BACKBONE", backbone);
        }
        trainerEnv.put("ABO_INPUT_SIZE", String.valueOf(inputSize));
        trainerEnv.put("METRICS_PORT", "0");
        Nd4jSetup.enableHelpers();
        long t0 = System.nanoTime();
        List<StreamThroughput.Result> throughput = new ArrayList<>();
        List<StreamBench.Result> training = new ArrayList<>();
        double brokerSeconds;
        PrintStream stdout = System.out;
        Path work = Files.createTempDirectory("abo-bench-stream");
        try {
            System.setOut(System.err);                     // DL4J's System.out noise must not reach --json
            long b0 = System.nanoTime();
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.forTests()) {
                brokerSeconds = (System.nanoTime() - b0) / 1e9;
                String bootstrap = broker.bootstrapServers();
                StreamThroughput.run(bootstrap, 1, Math.max(1, batches / 4), loader);   // warm-up: JIT, broker
                for (int n = 1; n <= 2; n++) {
                    StreamThroughput.Result r = StreamThroughput.run(bootstrap, n, batches, loader);
                    err.println("bench stream: " + r);
                    err.flush();
                    throughput.add(r);
                }
                for (int n = 1; n <= 2; n++) {
                    List<BatchAssembler> feeds = new ArrayList<>();
                    for (int p = 0; p < n; p++) {
                        feeds.add(assembler("bench-loader-" + p, 11 + p));
                    }
                    StreamBench.Result r = StreamBench.run(bootstrap, work,
                            new StreamBench.Settings(n, inputSize, warmupSteps, steps, maxLead, trainerEnv),
                            (producer, seq) -> feeds.get(producer).assemble(seq));
                    err.println("bench stream: " + r.line());
                    err.flush();
                    training.add(r);
                }
            }
        } finally {
            System.setOut(stdout);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        if (json) {
            JsonOutput.print(out, toJson(throughput, training, brokerSeconds, total));
        } else {
            printText(out, throughput, training, brokerSeconds, total);
        }
        out.flush();
        return 0;
    }

    private BatchAssembler assembler(String sourceId, long seed) throws Exception {
        LoaderConfig lc = LoaderConfig.from(Map.of("ABO_SOURCE", "synthetic:mixed", "ABO_SOURCE_ID", sourceId,
                "ABO_INPUT_SIZE", String.valueOf(inputSize), "ABO_BATCH_SIZE", String.valueOf(batch),
                "ABO_SEED", String.valueOf(seed), "ABO_IMAGE_ENCODING", encoding));
        return new BatchAssembler(SampleStreams.open(lc).train(), BatchPlan.endless(sourceId, batch), lc.imageFormat(),
                Topics.MAX_BATCH_BYTES, Clock.systemUTC());
    }

    private Map<String, Object> toJson(List<StreamThroughput.Result> throughput, List<StreamBench.Result> training,
                                       double brokerSeconds, double total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_size_px", inputSize);
        m.put("batch", batch);
        m.put("image_encoding", encoding);
        m.put("batches_per_loader", batches);
        List<Map<String, Object>> broker = new ArrayList<>();
        for (StreamThroughput.Result r : throughput) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("loaders", r.loaders());
            b.put("batches", r.batches());
            b.put("kb_per_batch", JsonOutput.round(r.valueBytes() / 1e3 / r.batches(), 2));
            b.put("batches_per_second", JsonOutput.round(r.batchesPerSecond(), 3));
            b.put("megabytes_per_second", JsonOutput.round(r.megabytesPerSecond(), 3));
            b.put("consume_megabytes_per_second", JsonOutput.round(r.consumeMegabytesPerSecond(), 3));
            b.put("assembly_only_batches_per_second", JsonOutput.round(r.assemblyOnly(), 3));
            broker.add(b);
        }
        m.put("broker", broker);
        List<Map<String, Object>> trainer = new ArrayList<>();
        for (StreamBench.Result r : training) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("loaders", r.producers());
            t.put("steps", r.steps());
            t.put("steps_per_second", JsonOutput.round(r.stepsPerSecond(), 4));
            t.put("data_wait_fraction", JsonOutput.round(r.waitFraction(), 4));
            t.put("mean_wait_ms", JsonOutput.round(r.meanWaitMs(), 2));
            t.put("mean_step_ms", JsonOutput.round(r.meanTrainMs(), 2));
            t.put("produced", r.produced());
            trainer.add(t);
        }
        m.put("trainer", trainer);
        m.put("trainer_warmup_steps", warmupSteps);
        m.put("max_lead", maxLead);
        m.put("broker_start_seconds", JsonOutput.round(brokerSeconds, 2));
        m.put("total_seconds", JsonOutput.round(total, 2));
        return m;
    }

    private void printText(PrintWriter out, List<StreamThroughput.Result> throughput, List<StreamBench.Result> training,
                           double brokerSeconds, double total) {
        out.printf(Locale.ROOT, "stream bench: %d px, batch %d, %s, synthetic:mixed, in-process broker (started in %.1f s)%n",
                inputSize, batch, encoding, brokerSeconds);
        out.printf(Locale.ROOT, "%-8s %8s %9s %10s %9s %11s %14s%n", "loaders", "batches", "KB/batch", "batches/s", "MB/s",
                "consume MB/s", "assembly b/s/th");
        for (StreamThroughput.Result r : throughput) {
            out.printf(Locale.ROOT, "%-8d %8d %9.1f %10.2f %9.2f %11.2f %14.2f%n", r.loaders(), r.batches(),
                    r.valueBytes() / 1e3 / r.batches(), r.batchesPerSecond(), r.megabytesPerSecond(),
                    r.consumeMegabytesPerSecond(), r.assemblyOnly());
        }
        out.printf(Locale.ROOT, "%ntrainer fed by N loaders (%d warm-up + %d measured steps, max lead %d):%n", warmupSteps, steps, maxLead);
        out.printf(Locale.ROOT, "%-8s %8s %9s %12s %10s%n", "loaders", "steps/s", "waiting", "wait ms/step", "step ms");
        for (StreamBench.Result r : training) {
            out.printf(Locale.ROOT, "%-8d %8.3f %8.1f%% %12.1f %10.1f%n", r.producers(), r.stepsPerSecond(),
                    100 * r.waitFraction(), r.meanWaitMs(), r.meanTrainMs());
        }
        out.printf(Locale.ROOT, "total %.1f s%n", total);
    }
}
