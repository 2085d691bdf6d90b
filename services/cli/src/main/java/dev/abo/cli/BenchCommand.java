package dev.abo.cli;

import dev.abo.cli.bench.EvalBench;
import dev.abo.cli.bench.KMeansBench;
import dev.abo.cli.bench.PaperBench;
import dev.abo.cli.bench.TrainBench;
import picocli.CommandLine.Command;

/** {@code abo bench}: benchmarks that print numbers (never timed tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print their numbers (text, or --json).",
        subcommands = {EvalBench.class, KMeansBench.class, TrainBench.class, PaperBench.class, dev.abo.cli.bench.StreamBenchCommand.class, dev.abo.cli.bench.ServeBench.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
