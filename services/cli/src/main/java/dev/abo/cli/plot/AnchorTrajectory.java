package dev.abo.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.OptionalLong;

import dev.abo.detector.train.StepRecord;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Each anchor's width and height (pixels, log axis) after every training step: how the learned anchors move, with an
 * optional vertical marker (e.g. the step at which the data drifted).
 */
public final class AnchorTrajectory {

    private AnchorTrajectory() {
    }

    public static void writePng(Path file, String title, List<StepRecord> steps, OptionalLong marker, String markerLabel,
                                int widthPx, int heightPx) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        int anchors = steps.isEmpty() ? 0 : steps.get(0).anchors().size();
        for (int k = 0; k < anchors; k++) {
            XYSeries w = new XYSeries("anchor " + (k + 1) + " width");
            XYSeries h = new XYSeries("anchor " + (k + 1) + " height");
            for (StepRecord r : steps) {
                w.add(r.step(), r.anchors().get(k).w());
                h.add(r.step(), r.anchors().get(k).h());
            }
            data.addSeries(w);
            data.addSeries(h);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "pixels", data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis axis = new LogAxis("pixels (log scale)");
        axis.setSmallestValue(0.5);
        axis.setBase(2);                                     // ticks at 1, 2, 4, 8, ... pixels
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new DecimalFormat("0.#"));
        plot.setRangeAxis(axis);
        Color[] palette = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C),
            new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD)};
        for (int k = 0; k < anchors; k++) {
            Color c = palette[k % palette.length];
            plot.getRenderer().setSeriesPaint(2 * k, c);
            plot.getRenderer().setSeriesPaint(2 * k + 1, c);
            plot.getRenderer().setSeriesStroke(2 * k, new BasicStroke(2f));
            plot.getRenderer().setSeriesStroke(2 * k + 1, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    1f, new float[] {5f, 4f}, 0f));
        }
        if (marker.isPresent()) {
            ValueMarker m = new ValueMarker(marker.getAsLong(), Color.DARK_GRAY, new BasicStroke(1.5f));
            m.setLabel(markerLabel);
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, widthPx, heightPx);
    }
}
