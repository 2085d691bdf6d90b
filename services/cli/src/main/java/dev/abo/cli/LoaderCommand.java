package dev.abo.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import dev.abo.loader.LoaderConfig;
import dev.abo.loader.LoaderMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abo loader}: runs one data-loader in this process. Every option sets the environment key the
 * service reads ({@link LoaderConfig}); what no option covers can be set in the environment or with
 * {@code --set KEY=VALUE}. Exit codes as the service's: 0 done or stopped (Ctrl-C), 1 failed, 2 bad settings
 * or a batch that can never fit.
 */
@Command(name = "loader", mixinStandardHelpOptions = true,
        description = {
            "Run a data-loader: training batches of a source to train.batches, held-out batches to eval.batches (a",
            "dataset's held-out split once, first; an endless source's first --eval-images frames of every round of",
            "--eval-every-batches training batches, as the stream goes).",
            "A restarted loader continues after its last batch on the topic. It pauses while the trainer group is",
            "--max-lag batches behind. Options map onto the ABO_*/KAFKA_* environment keys of the service",
            "(shown in brackets); /metrics and /health are served on --metrics-port. Ctrl-C stops it cleanly."})
final class LoaderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "synthetic:mixed | synthetic:heads | camera:drift | dataset:voc:DIR[:SPLIT] | dataset:coco:FILE "
                    + "| dataset:idl:FILE | watch:DIR  [ABO_SOURCE, default synthetic:mixed]")
    String source;

    @Option(names = "--source-id", paramLabel = "ID", description = "record key [ABO_SOURCE_ID, default <source>/loader-0]")
    String sourceId;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka brokers [KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:9092, the one of `abo broker`]")
    String bootstrap;

    @Option(names = "--batch-size", paramLabel = "N", description = "images per batch [ABO_BATCH_SIZE, default 16]")
    Integer batchSize;

    @Option(names = "--input-size", paramLabel = "N|WxH", description = "network input px [ABO_INPUT_SIZE, default 128]")
    String inputSize;

    @Option(names = "--seed", description = "[ABO_SEED, default 1]")
    Long seed;

    @Option(names = "--encoding", paramLabel = "jpeg|png|rgb8", description = "[ABO_IMAGE_ENCODING, default jpeg]")
    String encoding;

    @Option(names = "--jpeg-quality", paramLabel = "Q", description = "[ABO_JPEG_QUALITY, default 90]")
    Integer jpegQuality;

    @Option(names = "--augment", paramLabel = "yolov2|none", description = "[ABO_AUGMENT, default yolov2]")
    String augment;

    @Option(names = "--scaling", paramLabel = "random|fit|none",
            description = "training crops: YOLOv2's random scaling; fit = the whole frame stretched to the input like "
                    + "held-out frames, then shifted; none = input-size windows of source pixels "
                    + "[ABO_SCALING, default fit for dataset:idl:, synthetic:heads, camera:drift and watch:, else random]")
    String scaling;

    @Option(names = "--eval-images", paramLabel = "N",
            description = "frames of each held-out set of a synthetic/camera/watch source, 0 = none [ABO_EVAL_IMAGES, default 512]")
    Integer evalImages;

    @Option(names = "--eval-every-batches", paramLabel = "N",
            description = "training batches between two held-out sets of a synthetic/camera/watch source "
                    + "[ABO_EVAL_EVERY_BATCHES, default 288]")
    Long evalEveryBatches;

    @Option(names = "--eval-fraction", paramLabel = "F",
            description = "held-out share of a dataset, 0 = none [ABO_EVAL_FRACTION, default 0.1]")
    Double evalFraction;

    @Option(names = "--topic", description = "[ABO_TOPIC, default train.batches]")
    String topic;

    @Option(names = "--eval-topic", description = "[ABO_EVAL_TOPIC, default eval.batches]")
    String evalTopic;

    @Option(names = "--max-batches", paramLabel = "N",
            description = "exit once batches 0..N-1 are on the topic [ABO_MAX_BATCHES, default endless]")
    Long maxBatches;

    @Option(names = "--max-lag", paramLabel = "N",
            description = "pause while the trainer group has N batches to read [ABO_MAX_LAG_BATCHES, default 1000]")
    Long maxLag;

    @Option(names = "--trainer-group", paramLabel = "GROUP", description = "[ABO_TRAINER_GROUP, default trainer]")
    String trainerGroup;

    @Option(names = "--rate", paramLabel = "BATCHES_PER_S", description = "rate limit [ABO_MAX_BATCHES_PER_S, default none]")
    Double rate;

    @Option(names = "--max-in-flight", paramLabel = "N", description = "unacknowledged batches [ABO_MAX_IN_FLIGHT, default 8]")
    Integer maxInFlight;

    @Option(names = "--on-too-large", paramLabel = "stop|skip", description = "[ABO_ON_TOO_LARGE, default stop]")
    String onTooLarge;

    @Option(names = "--watch-flush-ms", paramLabel = "MS",
            description = "watch:DIR: send a partial batch after this wait [ABO_WATCH_FLUSH_MS, default 5000]")
    Long watchFlushMs;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "0 = any free port [METRICS_PORT, default 9400]")
    Integer metricsPort;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other ABO_*/KAFKA_* setting (repeatable)")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() {
        // the service reports progress at INFO; ./abo keeps everything else at WARN
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.abo.loader") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.abo.loader", "info");
        }
        PrintWriter err = spec.commandLine().getErr();
        return LoaderMain.run(env(System.getenv()), err);
    }

    /** {@code base} (the environment) with every given option set on top. */
    Map<String, String> env(Map<String, String> base) {
        Map<String, String> env = new TreeMap<>(base);
        env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        put(env, "ABO_SOURCE", source);
        put(env, "ABO_SOURCE_ID", sourceId);
        put(env, "KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        put(env, "ABO_BATCH_SIZE", batchSize);
        put(env, "ABO_INPUT_SIZE", inputSize);
        put(env, "ABO_SEED", seed);
        put(env, "ABO_IMAGE_ENCODING", encoding);
        put(env, "ABO_JPEG_QUALITY", jpegQuality);
        put(env, "ABO_AUGMENT", augment);
        put(env, "ABO_SCALING", scaling);
        put(env, "ABO_EVAL_IMAGES", evalImages);
        put(env, "ABO_EVAL_EVERY_BATCHES", evalEveryBatches);
        put(env, "ABO_EVAL_FRACTION", evalFraction);
        put(env, "ABO_TOPIC", topic);
        put(env, "ABO_EVAL_TOPIC", evalTopic);
        put(env, "ABO_MAX_BATCHES", maxBatches);
        put(env, "ABO_MAX_LAG_BATCHES", maxLag);
        put(env, "ABO_TRAINER_GROUP", trainerGroup);
        put(env, "ABO_MAX_BATCHES_PER_S", rate);
        put(env, "ABO_MAX_IN_FLIGHT", maxInFlight);
        put(env, "ABO_ON_TOO_LARGE", onTooLarge);
        put(env, "ABO_WATCH_FLUSH_MS", watchFlushMs);
        put(env, "METRICS_PORT", metricsPort);
        extra.forEach((k, v) -> {
            if (!k.startsWith("ABO_") && !k.startsWith("KAFKA_") && !k.startsWith("METRICS_")) {
                throw new IllegalArgumentException("--set " + k + "=" + v + ": only ABO_*, KAFKA_* and METRICS_* keys");
            }
            env.put(k, v);
        });
        return env;
    }

    private static void put(Map<String, String> env, String key, Object value) {
        if (value != null) {
            env.put(key, value.toString());
        }
    }
}
