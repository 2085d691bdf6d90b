package dev.abo.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.loader.BatchAssembler;
import dev.abo.trainer.bench.StreamBench;

/**
 * Runs {@link StreamBench} with data-loader batch assemblers (synthetic:mixed, augmented, batch 16, JPEG q90 as
 * the loader's defaults; {@code -Dbench.format=png|rgb8} for others) on an in-process broker, 1 and 2
 * producers at 64 and 128 px, the trainer's default backbone. Not a test.
 *
 * <pre>java -cp ... dev.abo.trainer.StreamBenchRun [sizes=64,128] [producers=1,2] [warmup=8] [steps=30] [maxLead=24]</pre>
 * A large maxLead lets the producers run flat out, competing with the trainer for the cores.
 */
public final class StreamBenchRun {

    private StreamBenchRun() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = ints(args.length > 0 ? args[0] : "64,128");
        int[] producers = ints(args.length > 1 ? args[1] : "1,2");
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int maxLead = args.length > 4 ? Integer.parseInt(args[4]) : 24;
        String format = System.getProperty("bench.format", "jpeg");
        dev.abo.detector.Nd4jSetup.enableHelpers();
        System.err.println("ND4J: " + dev.abo.detector.Nd4jSetup.report());
        Path work = Files.createTempDirectory("abo-stream-bench");
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));   // DL4J's op dump
        List<String> lines = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.forTests()) {
            for (int size : sizes) {
                for (int n : producers) {
                    List<BatchAssembler> feeds = new ArrayList<>();
                    for (int p = 0; p < n; p++) {
                        feeds.add(assembler("loader-" + p, size, 16, 11 + p, format));
                    }
                    StreamBench.Result r = StreamBench.run(broker.bootstrapServers(), work,
                            new StreamBench.Settings(n, size, warmup, steps, maxLead, Map.of()),
                            (producer, seq) -> feeds.get(producer).assemble(seq));
                    System.err.println(r.line());
                    lines.add(r.line());
                }
            }
        }
        stdout.println(String.join("\n", lines));
        stdout.flush();
        System.exit(0);
    }

    private static BatchAssembler assembler(String id, int size, int batch, long seed, String format) throws Exception {
        var lc = dev.abo.loader.LoaderConfig.from(Map.of("ABO_SOURCE", "synthetic:mixed", "ABO_SOURCE_ID", id,
                "ABO_INPUT_SIZE", String.valueOf(size), "ABO_BATCH_SIZE", String.valueOf(batch), "ABO_SEED", String.valueOf(seed),
                "ABO_IMAGE_ENCODING", format));
        var streams = dev.abo.loader.SampleStreams.open(lc);
        return new BatchAssembler(streams.train(), dev.abo.loader.BatchPlan.endless(id, batch), lc.imageFormat(),
                dev.abo.platform.topic.Topics.MAX_BATCH_BYTES, java.time.Clock.systemUTC());
    }

    private static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
