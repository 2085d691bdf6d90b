package dev.abo.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.abo.cli.demo.DemoRun;
import dev.abo.core.anchor.AnchorInit;
import dev.abo.cli.demo.DemoSettings;
import dev.abo.cli.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo demo}: the whole system on one machine, in this process, on embedded defaults. See {@link DemoRun}.
 * The options under "advanced" are for tests and experiments (hidden from the help).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Run the whole system on this machine for --minutes: an embedded Kafka (KRaft) broker, the anchor registry,",
            "two data-loaders (a synthetic camera that drifts from mixed objects to small heads halfway, and the bundled",
            "VOC2007 train split), a trainer with learnable anchors that publishes to the registry, a baseline trainer",
            "with fixed anchors, and the gRPC inference service following the promoted snapshot (called with Detect",
            "along the way). Prints progress and a summary table; writes report.html with plots, summary.json and all",
            "service data under --out. Ctrl-C stops everything in order and still writes the partial summary."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "9", description = "length of the whole run, minutes (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR",
            description = "where everything goes; a previous demo's directory is cleared (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--voc", defaultValue = "../shared/data/voc2007-train", paramLabel = "DIR",
            description = "the VOC2007 train split (VOC XML + ImageSets/Main/train.txt) (default ${DEFAULT-VALUE})")
    Path voc;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary as JSON to FILE")
    Path json;

    // ---- advanced (hidden) ----
    @Option(names = "--input-size", hidden = true, defaultValue = "96") int inputSize;
    @Option(names = "--batch", hidden = true, defaultValue = "8") int batch;
    @Option(names = "--backbone", hidden = true, split = ",", defaultValue = "16,32,64,128,128") List<Integer> backbone;
    @Option(names = "--seed", hidden = true, defaultValue = "1") long seed;
    @Option(names = "--init", hidden = true, defaultValue = "coco", description = "uniform|identical|voc|coco") String init;
    @Option(names = "--steps-per-second", hidden = true, defaultValue = "3",
            description = "the loaders' pace (batches/s together), the most a trainer can do") double stepsPerSecond;
    @Option(names = "--camera-share", hidden = true, defaultValue = "0.75") double cameraShare;
    @Option(names = "--eval-every", hidden = true, defaultValue = "25") int evalEvery;
    @Option(names = "--eval-images", hidden = true, defaultValue = "64") int evalImages;
    @Option(names = "--final-eval-images", hidden = true, defaultValue = "200") int finalEvalImages;
    @Option(names = "--status-every", hidden = true, defaultValue = "10", description = "seconds") double statusEvery;
    @Option(names = "--detect-every", hidden = true, defaultValue = "1", description = "seconds") double detectEvery;
    @Option(names = "--promote-tolerance", hidden = true, defaultValue = "0.02") double promoteTolerance;

    /** Loggers that only add noise to the demo's output at WARN (backend chatter, client reconnects at shutdown). */
    private static final List<String> QUIET_LOGGERS = List.of("org.nd4j", "org.deeplearning4j", "org.apache.kafka",
            "kafka", "io.micrometer", "io.vertx", "io.netty", "io.grpc");

    @Override
    public Integer call() throws Exception {
        for (String logger : QUIET_LOGGERS) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
        if (!Files.isDirectory(voc.resolve("Annotations"))) {
            throw new IllegalArgumentException("the VOC2007 train split is not at " + voc + " (no Annotations/): give --voc DIR,"
                    + " the bundled split is shared/data/voc2007-train");
        }
        DemoSettings settings = new DemoSettings(Duration.ofMillis(Math.round(minutes * 60_000)), out, voc, inputSize, batch,
                backbone, AnchorInit.valueOf(init.toUpperCase(java.util.Locale.ROOT)), seed, stepsPerSecond, cameraShare,
                evalEvery, evalImages, finalEvalImages, seconds(statusEvery), seconds(detectEvery), promoteTolerance,
                "demo-token");
        PrintWriter o = spec.commandLine().getOut();
        DemoRun run = new DemoRun(settings, o);
        Thread hook = new Thread(() -> {
            run.interrupt();
            try {
                run.awaitFinished(Duration.ofMinutes(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abo-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        DemoSummary summary;
        // DL4J/ND4J code may println() to System.out (SameDiff: ~100 "Added differentiated op" lines per gradient
        // function, dl4j-recipes 1.2): discard System.out for the run; `o` was made on the real stdout and still
        // writes there
        PrintStream savedOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            summary = run.run();
        } finally {
            System.setOut(savedOut);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for us
            }
        }
        if (json != null) {
            summary.writeJson(json);
            o.println("summary JSON: " + json);
        }
        o.flush();
        if (summary.complete()) {
            return 0;
        }
        return summary.endedBy().equals("interrupted") ? 130 : 1;
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
