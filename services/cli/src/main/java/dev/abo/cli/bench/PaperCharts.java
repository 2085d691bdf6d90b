package dev.abo.cli.bench;

import dev.abo.cli.plot.AnchorPlot;
import dev.abo.cli.plot.ShapeDensity;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.AnchorPx;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/** The bench's figures: AP50 per row as bars, and the learned anchors over the box density. */
final class PaperCharts {
    static final int BAR_WIDTH = 1000;
    static final int BAR_HEIGHT = 560;
    static final int ANCHOR_WIDTH = 900;
    static final int ANCHOR_HEIGHT = 820;
    private static final Color BASELINE = new Color(0x99, 0x99, 0x99);
    private static final Color OPT = new Color(0x1F, 0x77, 0xB4);
    /** Log-space margin around an anchor when the plot is widened to show it. */
    private static final double ANCHOR_MARGIN = 0.2;
    private static final Color ABLATION = new Color(0x2C, 0xA0, 0x2C);

    private PaperCharts() {
    }

    /**
     * One bar per row (mean AP50 %, with the standard deviation over seeds as an error bar when there
     * are several): grey for fixed anchors, blue for Opt, green for the ablation's learned rows.
     */
    static void writeAp50Bars(Path file, DatasetResult d) throws IOException {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        List<RowResult> rows = d.rows();
        for (RowResult r : rows) {
            data.add(r.ap50MeanPct(), r.ap50SdPct() == null ? 0 : r.ap50SdPct(), "AP50", category(r));
        }
        StatisticalBarRenderer renderer = new StatisticalBarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                RowResult r = rows.get(column);
                if (r.run().mode() == DetectorConfig.AnchorMode.FIXED) {
                    return BASELINE;
                }
                return r.table() == PaperRow.Table.MAIN ? OPT : ABLATION;
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setDrawBarOutline(false);
        CategoryAxis x = new CategoryAxis("row (T6 = Table 6 ablation, " + d.ablationInit() + " init)");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("held-out AP50 (%)");
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        JFreeChart chart = new JFreeChart(d.dataset() + ": AP50 per row (grey fixed, blue Opt, green ablation)",
                new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, BAR_WIDTH, BAR_HEIGHT);
    }

    private static String category(RowResult r) {
        return r.table() == PaperRow.Table.ABLATION ? "T6 " + r.label() : r.label();
    }

    /**
     * The paper's Fig. 2 for this run: density of the training boxes (input px, log scale) with the
     * k-means anchors and the learned anchors of the {@code Opt(init)} rows that were run (first seed).
     */
    static void writeAnchorPlot(Path file, DatasetResult d, double[] widths, double[] heights, int inputSize, long steps)
            throws IOException {
        List<List<AnchorPx>> sets = new ArrayList<>();
        sets.add(d.kmeansAnchors());
        for (RowResult r : d.rows()) {
            if (r.table() == PaperRow.Table.MAIN && r.run().mode() == DetectorConfig.AnchorMode.LEARNED) {
                sets.add(r.anchors());
            }
        }
        ShapeDensity density = covering(ShapeDensity.estimate(widths, heights, 90, 1.2), sets);
        AnchorPlot plot = new AnchorPlot(String.format(Locale.ROOT, "%s: training boxes at %dx%d (%d) and anchors after %d steps",
                d.dataset(), inputSize, inputSize, widths.length, steps), density);
        plot.withAnchors("k-means", toSet(d.kmeansAnchors(), inputSize));
        for (RowResult r : d.rows()) {
            if (r.table() == PaperRow.Table.MAIN && r.run().mode() == DetectorConfig.AnchorMode.LEARNED) {
                plot.withAnchors("learned, " + r.label(), toSet(r.anchors(), inputSize));
            }
        }
        plot.writePng(file, ANCHOR_WIDTH, ANCHOR_HEIGHT);
    }

    /**
     * {@code density} on axes widened, at the same bin width, to show every anchor too (the plot's axes are the
     * density's range, and learned anchors from a far initialisation can lie outside the boxes' range).
     */
    static ShapeDensity covering(ShapeDensity density, List<List<AnchorPx>> anchorSets) {
        double lo = density.minLog();
        double hi = density.maxLog();
        for (List<AnchorPx> set : anchorSets) {
            for (AnchorPx a : set) {
                lo = Math.min(lo, Math.min(Math.log(a.w()), Math.log(a.h())) - ANCHOR_MARGIN);
                hi = Math.max(hi, Math.max(Math.log(a.w()), Math.log(a.h())) + ANCHOR_MARGIN);
            }
        }
        if (lo == density.minLog() && hi == density.maxLog()) {
            return density;
        }
        double bin = density.binWidth();
        int below = (int) Math.ceil((density.minLog() - lo) / bin);
        int bins = below + density.bins() + (int) Math.ceil((hi - density.maxLog()) / bin);
        double[][] grid = new double[bins][bins];
        for (int y = 0; y < density.bins(); y++) {
            for (int x = 0; x < density.bins(); x++) {
                grid[y + below][x + below] = density.density()[y][x];
            }
        }
        double newLo = density.minLog() - below * bin;
        return new ShapeDensity(newLo, newLo + bins * bin, bins, grid);
    }

    private static AnchorSet toSet(List<AnchorPx> anchors, int inputSize) {
        return AnchorPx.toSet(anchors, inputSize);
    }
}
