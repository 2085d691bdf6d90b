package dev.abo.cli.bench;

import dev.abo.cli.Abo;
import dev.abo.detector.train.LearningRatePolicy;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The hyperparameters {@code abo train} uses when its options are left out, read from that command's
 * own option model, so every row of the bench is an ordinary {@code abo train} run and follows whatever
 * defaults the trainer is tuned to (nothing is repeated here).
 *
 * @param networkLr        {@code --lr}
 * @param anchorLr         {@code --anchor-lr}
 * @param lrPolicy         {@code --lr-policy}
 * @param backbone         {@code --backbone}
 * @param lambdaAfter      {@code --lambda-after}
 * @param evalImages       {@code --eval-images}
 * @param heldOutFraction  {@code --heldout-fraction}
 * @param batch            {@code --batch}
 * @param inputSize        {@code --input-size}
 * @param steps            {@code --steps}
 */
record TrainDefaults(double networkLr, double anchorLr, LearningRatePolicy lrPolicy, List<Integer> backbone,
                     double lambdaAfter, int evalImages, double heldOutFraction, int batch, int inputSize, long steps) {

    TrainDefaults {
        backbone = List.copyOf(backbone);
    }

    static TrainDefaults fromTrainCommand() {
        CommandLine abo = Abo.newCommandLine();
        if (!abo.getSubcommands().containsKey("train")) {
            throw new IllegalStateException("abo has no train command to take the training defaults from");
        }
        // the two required options with placeholder values; every other option keeps its default
        abo.parseArgs("train", "--dataset", "synthetic:heads", "--out", "unused");
        CommandSpec spec = abo.getSubcommands().get("train").getCommandSpec();
        @SuppressWarnings("unchecked")
        List<Integer> backbone = (List<Integer>) value(spec, "--backbone");
        String policy = (String) value(spec, "--lr-policy");
        return new TrainDefaults((Double) value(spec, "--lr"), (Double) value(spec, "--anchor-lr"),
                LearningRatePolicy.valueOf(policy.toUpperCase(Locale.ROOT)), backbone,
                (Double) value(spec, "--lambda-after"), (Integer) value(spec, "--eval-images"),
                (Double) value(spec, "--heldout-fraction"), (Integer) value(spec, "--batch"),
                (Integer) value(spec, "--input-size"), (Long) value(spec, "--steps"));
    }

    private static Object value(CommandSpec spec, String option) {
        OptionSpec o = spec.findOption(option);
        if (o == null || o.getValue() == null) {
            throw new IllegalStateException("abo train has no default for " + option + " to take");
        }
        return o.getValue();
    }
}
