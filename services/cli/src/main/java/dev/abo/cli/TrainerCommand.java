package dev.abo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.abo.detector.Checkpoint;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.trainer.TrainerCheckpoints;
import dev.abo.trainer.TrainerMain;
import dev.abo.trainer.TrainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code abo trainer}: the online trainer service ({@code run}) and what its checkpoint holds ({@code status}).
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "The online trainer: trains the detector from the train.batches topic, checkpoints with its offsets.",
        subcommands = {TrainerCommand.Run.class, TrainerCommand.Status.class})
final class TrainerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code abo trainer run}: the service in the foreground, configured by the environment and these options. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the trainer service until Ctrl-C (then: finish the step, checkpoint, commit).",
                "Settings come from the environment (ABO_*, KAFKA_*, METRICS_*; see TrainerConfig); the options override them."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka brokers (KAFKA_BOOTSTRAP_SERVERS; default 127.0.0.1:9092)")
        String bootstrap;

        @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "ABO_CHECKPOINT_DIR")
        Path checkpointDir;

        @Option(names = "--group", description = "consumer group (ABO_GROUP_ID)")
        String group;

        @Option(names = "--metrics-port", description = "port of /metrics and /health (METRICS_PORT)")
        Integer metricsPort;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other setting, e.g. --set ABO_CHECKPOINT_EVERY=50")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putIfAbsent(KafkaClients.BOOTSTRAP_KEY, "127.0.0.1:9092");
            env.putAll(settings);
            if (bootstrap != null) {
                env.put(KafkaClients.BOOTSTRAP_KEY, bootstrap);
            }
            if (checkpointDir != null) {
                env.put("ABO_CHECKPOINT_DIR", checkpointDir.toString());
            }
            if (group != null) {
                env.put("ABO_GROUP_ID", group);
            }
            if (metricsPort != null) {
                env.put("METRICS_PORT", metricsPort.toString());
            }
            return TrainerMain.run(env);
        }
    }

    /** {@code abo trainer status}: step, anchors, offsets and trained batches of the checkpoint, as JSON. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print what the trainer's checkpoint holds (step, anchors, offsets, trained batches) as JSON.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--checkpoint-dir", paramLabel = "DIR", defaultValue = "trainer-checkpoints",
                description = "ABO_CHECKPOINT_DIR (default ${DEFAULT-VALUE})")
        Path checkpointDir;

        @Override
        public Integer call() throws Exception {
            Path file = new TrainerCheckpoints(checkpointDir).file();
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no trainer checkpoint in " + checkpointDir + " (" + file.getFileName() + ")");
            }
            TrainerState state = TrainerCheckpoints.readState(file);
            Checkpoint.Meta meta = Checkpoint.readMeta(file);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", file.toString());
            out.put("step", state.step());
            out.put("inputSize", state.inputSize());
            out.put("classNames", state.classNames());
            out.put("anchorWidthsPx", meta.anchorWidthsPx());
            out.put("anchorHeightsPx", meta.anchorHeightsPx());
            out.put("offsets", state.offsets());
            out.put("trained", state.trained());
            out.put("retrainedCount", state.retrainedCount());
            out.put("deadLettered", state.deadLettered());
            out.put("deadLetterScanFrom", state.deadLetterScanFrom());
            out.put("createdUnixMs", state.createdUnixMs());
            JsonOutput.print(spec.commandLine().getOut(), out);
            return 0;
        }
    }
}
