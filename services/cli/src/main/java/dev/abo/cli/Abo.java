package dev.abo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code abo} command: the entry point of every user-facing job. */
@Command(
        name = "abo",
        mixinStandardHelpOptions = true,
        version = "abo 0.1.0",
        description = "Learnable anchor boxes (Zhong et al., 'Anchor Box Optimization for Object Detection').",
        subcommands = {DemoCommand.class, AnchorsCommand.class, EvalCommand.class, TrainCommand.class, DetectCommand.class, BenchCommand.class,
            BrokerCommand.class, LoaderCommand.class, TrainerCommand.class, RegistryCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
public final class Abo implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine newCommandLine() {
        return new CommandLine(new Abo()).setExecutionExceptionHandler(new UserErrorHandler());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
