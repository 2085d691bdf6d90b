package dev.abo.cli.plot;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The paper's Fig. 2/3: the density of ground-truth box shapes in the log w / log h plane (darker =
 * denser) with one or more anchor sets drawn on top. Axes are in log space, labelled in pixels.
 */
public final class AnchorPlot {
    private static final Color[] PALETTE = {
        new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C),
        new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B)
    };

    private final String title;
    private final ShapeDensity density;
    private final Map<String, AnchorSet> anchorSets = new LinkedHashMap<>();

    public AnchorPlot(String title, ShapeDensity density) {
        this.title = title;
        this.density = density;
    }

    /** Adds an anchor set drawn with its own marker colour and legend entry. */
    public AnchorPlot withAnchors(String name, AnchorSet anchors) {
        anchorSets.put(name, anchors);
        return this;
    }

    /** Renders the chart as a PNG of the given size. */
    public void writePng(Path file, int widthPx, int heightPx) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart(), widthPx, heightPx);
    }

    /** The chart, for callers that render it elsewhere (e.g. an HTML report). */
    public JFreeChart chart() {
        NumberAxis xAxis = logPixelAxis("box width (px, log scale)");
        NumberAxis yAxis = logPixelAxis("box height (px, log scale)");
        XYPlot plot = new XYPlot(densityData(), xAxis, yAxis, densityRenderer());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);

        XYSeriesCollection anchors = new XYSeriesCollection();
        XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(false, true);
        int s = 0;
        for (Map.Entry<String, AnchorSet> e : anchorSets.entrySet()) {
            XYSeries series = new XYSeries(e.getKey(), false, true);
            for (Shape a : e.getValue().shapes()) {
                series.add(a.logW(), a.logH());
            }
            anchors.addSeries(series);
            Color c = PALETTE[s % PALETTE.length];
            marks.setSeriesPaint(s, c);
            marks.setSeriesShape(s, s % 2 == 0 ? new Ellipse2D.Double(-6, -6, 12, 12) : new Rectangle2D.Double(-5, -5, 10, 10));
            marks.setSeriesOutlinePaint(s, Color.BLACK);
            marks.setUseOutlinePaint(true);
            marks.setSeriesOutlineStroke(s, new BasicStroke(1.2f));
            s++;
        }
        plot.setDataset(1, anchors);
        plot.setRenderer(1, marks);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // density first, anchors on top

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        if (!anchorSets.isEmpty()) {
            LegendTitle legend = new LegendTitle(marks);
            legend.setPosition(RectangleEdge.BOTTOM);
            chart.addLegend(legend);
        }
        return chart;
    }

    private DefaultXYZDataset densityData() {
        int n = density.bins();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        int i = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                xs[i] = density.binCenter(x);
                ys[i] = density.binCenter(y);
                zs[i] = density.density()[y][x];
                i++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("boxes", new double[][] {xs, ys, zs});
        return data;
    }

    private XYBlockRenderer densityRenderer() {
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockWidth(density.binWidth());
        r.setBlockHeight(density.binWidth());
        // white at zero density, near-black at the peak: "darker means denser" as in the paper
        r.setPaintScale(new GrayPaintScale(0, 1) {
            @Override
            public java.awt.Paint getPaint(double value) {
                double v = Math.max(0, Math.min(1, value));
                int g = (int) Math.round(255 * (1 - 0.85 * Math.sqrt(v)));
                return new Color(g, g, g);
            }
        });
        return r;
    }

    /** The density's range widened to show every anchor (both axes share it, so shapes keep their aspect). */
    double[] axisRange() {
        double lo = density.minLog();
        double hi = density.maxLog();
        for (AnchorSet set : anchorSets.values()) {
            for (Shape a : set.shapes()) {
                lo = Math.min(lo, Math.min(a.logW(), a.logH()) - 0.15);
                hi = Math.max(hi, Math.max(a.logW(), a.logH()) + 0.15);
            }
        }
        return new double[] {lo, hi};
    }

    private NumberAxis logPixelAxis(String label) {
        NumberAxis axis = new PixelTickAxis(label);
        double[] range = axisRange();
        axis.setRange(range[0], range[1]);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** A log-space axis whose ticks sit at round pixel values (1, 2, 5, 10, 20, 50, ...). */
    private static final class PixelTickAxis extends NumberAxis {
        private static final double[] STEPS = {1, 2, 5};

        PixelTickAxis(String label) {
            super(label);
        }

        @Override
        public List<NumberTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List<NumberTick> ticks = new ArrayList<>();
            boolean vertical = RectangleEdge.isLeftOrRight(edge);
            DecimalFormat fmt = new DecimalFormat("0.#");
            for (double decade = 0.1; decade < 1e5; decade *= 10) {
                for (double step : STEPS) {
                    double px = decade * step;
                    double v = Math.log(px);
                    if (v >= getLowerBound() && v <= getUpperBound()) {
                        ticks.add(new NumberTick(v, fmt.format(px),
                                vertical ? TextAnchor.CENTER_RIGHT : TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
                    }
                }
            }
            return ticks;
        }
    }
}
