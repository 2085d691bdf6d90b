package dev.abo.cli.bench;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.detector.DetectorConfig.AnchorMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rows of the paper's tables that {@code abo bench paper} reproduces (Zhong et al., Sec. 4.2-4.3).
 * <ul>
 *   <li>Table 1 (VOC) / Table 5 (Brainwash): {@code Baseline(init)} keeps the anchors FIXED and uses none of
 *       the three techniques (plain YOLOv2); {@code Opt(init)} learns them with all three (Sec. 3.2.1-3.2.3).</li>
 *   <li>Table 6 (ablation): one initialisation per dataset ({@link PaperReference#ablationInit()}), the
 *       baseline, then learned anchors with no technique, +Soft, +Soft+Clust, +Soft+Clust+BN. The first
 *       and the last are the same configurations as {@code Baseline(init)} and {@code Opt(init)} of the
 *       main table (the paper's numbers coincide too), so they share those runs.</li>
 * </ul>
 * A row whose {@code init} is null takes the dataset's ablation initialisation.
 */
enum PaperRow {
    BASELINE_COCO("baseline-coco", "Baseline(coco)", Table.MAIN, AnchorInit.COCO, AnchorMode.FIXED, false, false, false),
    BASELINE_UNIFORM("baseline-uniform", "Baseline(uniform)", Table.MAIN, AnchorInit.UNIFORM, AnchorMode.FIXED, false, false, false),
    BASELINE_KMEANS("baseline-kmeans", "Baseline(kmeans)", Table.MAIN, AnchorInit.KMEANS, AnchorMode.FIXED, false, false, false),
    OPT_IDENTICAL("opt-identical", "Opt(identical)", Table.MAIN, AnchorInit.IDENTICAL, AnchorMode.LEARNED, true, true, true),
    OPT_UNIFORM("opt-uniform", "Opt(uniform)", Table.MAIN, AnchorInit.UNIFORM, AnchorMode.LEARNED, true, true, true),
    OPT_KMEANS("opt-kmeans", "Opt(kmeans)", Table.MAIN, AnchorInit.KMEANS, AnchorMode.LEARNED, true, true, true),
    ABLATION_BASELINE("ablation-baseline", "Baseline", Table.ABLATION, null, AnchorMode.FIXED, false, false, false),
    ABLATION_OPT("ablation-opt", "Opt", Table.ABLATION, null, AnchorMode.LEARNED, false, false, false),
    ABLATION_SOFT("ablation-soft", "Opt+Soft", Table.ABLATION, null, AnchorMode.LEARNED, true, false, false),
    ABLATION_SOFT_CLUST("ablation-soft-clust", "Opt+Soft+Clust", Table.ABLATION, null, AnchorMode.LEARNED, true, true, false),
    ABLATION_FULL("ablation-soft-clust-bn", "Opt+Soft+Clust+BN", Table.ABLATION, null, AnchorMode.LEARNED, true, true, true);

    /** Which of the paper's tables a row belongs to. */
    enum Table {
        /** Table 1 (VOC), Table 5 (Brainwash): three fixed and three learned initialisations. */
        MAIN,
        /** Table 6: the three training techniques switched on one after the other. */
        ABLATION
    }

    /**
     * What one training run is: everything that differs between rows. Rows with equal runs (the ablation's
     * first and last row and their main-table twins) are trained once.
     */
    record Run(AnchorInit init, AnchorMode mode, boolean soft, boolean clust, boolean bn) {
        /** A short stable name, e.g. {@code learn-kmeans-soft-clust-bn}, {@code fixed-coco}. */
        String id() {
            return (mode == AnchorMode.FIXED ? "fixed" : "learn") + "-" + init.cliName() + (soft ? "-soft" : "")
                    + (clust ? "-clust" : "") + (bn ? "-bn" : "");
        }
    }

    private final String id;
    private final String label;
    private final Table table;
    private final AnchorInit init;
    private final AnchorMode mode;
    private final boolean soft;
    private final boolean clust;
    private final boolean bn;

    PaperRow(String id, String label, Table table, AnchorInit init, AnchorMode mode, boolean soft, boolean clust, boolean bn) {
        this.id = id;
        this.label = label;
        this.table = table;
        this.init = init;
        this.mode = mode;
        this.soft = soft;
        this.clust = clust;
        this.bn = bn;
    }

    String id() {
        return id;
    }

    String label() {
        return label;
    }

    Table table() {
        return table;
    }

    /** The run of this row on a dataset whose ablation initialisation is {@code ablationInit}. */
    Run run(AnchorInit ablationInit) {
        return new Run(init != null ? init : ablationInit, mode, soft, clust, bn);
    }

    /**
     * The row whose AP50 this row's difference is taken against: the baseline with the same initialisation
     * ({@code Opt(identical)}: {@code Baseline(kmeans)}, YOLOv2's anchors, as there is no identical baseline
     * here); the ablation rows: the ablation's baseline; none for baselines.
     */
    PaperRow reference() {
        return switch (this) {
            case OPT_IDENTICAL, OPT_KMEANS -> BASELINE_KMEANS;
            case OPT_UNIFORM -> BASELINE_UNIFORM;
            case ABLATION_OPT, ABLATION_SOFT, ABLATION_SOFT_CLUST, ABLATION_FULL -> ABLATION_BASELINE;
            default -> null;
        };
    }

    static PaperRow byId(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (PaperRow r : values()) {
            if (r.id.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown row '" + id + "'; valid: "
                + Arrays.stream(values()).map(PaperRow::id).collect(Collectors.joining(", ")));
    }

    /** The rows named in a comma-separated list, in table order, each once. */
    static List<PaperRow> parseList(String ids) {
        List<PaperRow> named = Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).map(PaperRow::byId).toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException("--rows names no row");
        }
        return Arrays.stream(values()).filter(named::contains).toList();
    }
}
