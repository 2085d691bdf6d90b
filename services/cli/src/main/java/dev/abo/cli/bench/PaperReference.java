package dev.abo.cli.bench;

import dev.abo.core.anchor.AnchorInit;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The paper's own AP50 numbers (%) that a dataset's rows are printed next to, for orientation only: the
 * paper trains DarkNet-19 at 416-640 px for 10k-30k steps on 4 GPUs, this bench a small CPU network for
 * minutes.
 *
 * <p>Which initialisation Table 6 (the ablation) uses is not stated in the text; its numbers identify it.
 * VOC: its Baseline 76.83 and Opt+Soft+Clust+BN 77.99 are Table 1's Baseline(k-means) and Opt(k-means) at
 * 416, so k-means. Brainwash: 78.03 and 79.86 are Table 5's Baseline(uniform) and Opt(uniform), so
 * uniform.
 */
enum PaperReference {
    /** Table 1 (VOC 2007 test, 416 px) and the VOC column of Table 6; no Baseline(coco) in the paper. */
    VOC("PASCAL VOC 2007: paper Table 1 at 416 px, Table 6", AnchorInit.KMEANS, Map.ofEntries(
            Map.entry(PaperRow.BASELINE_UNIFORM, 76.32), Map.entry(PaperRow.BASELINE_KMEANS, 76.83),
            Map.entry(PaperRow.OPT_IDENTICAL, 78.01), Map.entry(PaperRow.OPT_UNIFORM, 77.95),
            Map.entry(PaperRow.OPT_KMEANS, 77.99),
            Map.entry(PaperRow.ABLATION_BASELINE, 76.83), Map.entry(PaperRow.ABLATION_OPT, 77.06),
            Map.entry(PaperRow.ABLATION_SOFT, 77.38), Map.entry(PaperRow.ABLATION_SOFT_CLUST, 77.56),
            Map.entry(PaperRow.ABLATION_FULL, 77.99))),
    /** Table 5 (Brainwash test, 640 px) and the Brainwash column of Table 6. */
    BRAINWASH("Brainwash: paper Table 5 at 640 px, Table 6", AnchorInit.UNIFORM, Map.ofEntries(
            Map.entry(PaperRow.BASELINE_COCO, 77.96), Map.entry(PaperRow.BASELINE_UNIFORM, 78.03),
            Map.entry(PaperRow.BASELINE_KMEANS, 78.98), Map.entry(PaperRow.OPT_IDENTICAL, 79.85),
            Map.entry(PaperRow.OPT_UNIFORM, 79.86), Map.entry(PaperRow.OPT_KMEANS, 80.18),
            Map.entry(PaperRow.ABLATION_BASELINE, 78.03), Map.entry(PaperRow.ABLATION_OPT, 78.89),
            Map.entry(PaperRow.ABLATION_SOFT, 79.12), Map.entry(PaperRow.ABLATION_SOFT_CLUST, 79.42),
            Map.entry(PaperRow.ABLATION_FULL, 79.86))),
    /** Table 2 (COCO val, AP.5 at 544 px); the paper has no COCO ablation. */
    COCO("MS COCO: paper Table 2, val AP.5 at 544 px", AnchorInit.KMEANS, Map.of(
            PaperRow.BASELINE_UNIFORM, 42.06, PaperRow.BASELINE_KMEANS, 43.87, PaperRow.OPT_IDENTICAL, 45.07,
            PaperRow.OPT_UNIFORM, 45.33, PaperRow.OPT_KMEANS, 45.07)),
    /** A dataset the paper does not report on. */
    NONE("no counterpart in the paper", AnchorInit.KMEANS, Map.of());

    private final String description;
    private final AnchorInit ablationInit;
    private final Map<PaperRow, Double> ap50;

    PaperReference(String description, AnchorInit ablationInit, Map<PaperRow, Double> ap50) {
        this.description = description;
        this.ablationInit = ablationInit;
        this.ap50 = new EnumMap<>(PaperRow.class);
        this.ap50.putAll(ap50);
    }

    /**
     * The paper dataset a {@code --dataset} spec stands for: {@code synthetic:heads} and {@code idl:} files
     * are Brainwash (the head detection set the heads generator imitates), {@code voc:} VOC, {@code coco:}
     * COCO.
     */
    static PaperReference forDataset(String spec) {
        if ("synthetic:heads".equals(spec) || spec.startsWith("idl:")) {
            return BRAINWASH;
        }
        if (spec.startsWith("voc:")) {
            return VOC;
        }
        if (spec.startsWith("coco:")) {
            return COCO;
        }
        return NONE;
    }

    String description() {
        return description;
    }

    /** The initialisation of the ablation rows (Table 6), see the class comment. */
    AnchorInit ablationInit() {
        return ablationInit;
    }

    /** The paper's AP50 in % for {@code row}, if it reports one. */
    OptionalDouble ap50(PaperRow row) {
        Double v = ap50.get(row);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The paper's difference {@code row - row.reference()} in AP50 points, if it reports both. */
    OptionalDouble delta(PaperRow row) {
        PaperRow ref = row.reference();
        if (ref == null || !ap50.containsKey(row) || !ap50.containsKey(ref)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(ap50.get(row) - ap50.get(ref));
    }
}
