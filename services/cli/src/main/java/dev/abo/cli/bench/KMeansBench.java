package dev.abo.cli.bench;

import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.anchor.KMeansResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code abo bench kmeans}: IoU k-means on a large generated set of box shapes. */
@Command(name = "kmeans", mixinStandardHelpOptions = true,
        description = "Time IoU k-means (k-means++ seeding) on N generated log-normal box shapes.")
public final class KMeansBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--boxes", defaultValue = "1000000", description = "number of boxes (default ${DEFAULT-VALUE})")
    int boxes;

    @Option(names = "--k", defaultValue = "9", description = "clusters (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs after the cold one (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        // log-normal shapes around a 60x60 px median with correlated aspect: a VOC-like spread
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[boxes];
        double[] h = new double[boxes];
        for (int i = 0; i < boxes; i++) {
            double size = Math.log(60) + 0.9 * gaussian(rnd);
            double aspect = 0.45 * gaussian(rnd);
            w[i] = Math.exp(size + aspect / 2);
            h[i] = Math.exp(size - aspect / 2);
        }
        KMeansResult[] last = new KMeansResult[1];
        Timing t = Timing.measure(runs, () -> last[0] = new AnchorKMeans().fit(w, h, k, 1, new SplittableRandom(seed)));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("boxes", boxes);
            m.put("k", k);
            m.put("restarts", 1);
            m.put("cold_seconds", t.coldSeconds());
            m.put("warm_median_seconds", t.warmMedian());
            m.put("warm_min_seconds", t.warmMin());
            m.put("passes", last[0].iterations());
            m.put("avg_iou", last[0].fitness());
            dev.abo.cli.JsonOutput.print(out, m);
        } else {
            out.printf(Locale.ROOT, "k-means  %,d boxes, k=%d, 1 restart: cold %.3f s, warm median %.3f s (min %.3f s, %d runs)%n",
                    boxes, k, t.coldSeconds(), t.warmMedian(), t.warmMin(), runs);
            out.printf(Locale.ROOT, "         %d passes, avg IoU %.4f, anchors %s%n", last[0].iterations(), last[0].fitness(),
                    dev.abo.cli.AnchorText.format(last[0].centres()));
        }
        out.flush();
        return 0;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
