package dev.abo.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.StepRecord;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Line charts of a training run: the per-step loss (raw and smoothed) and the held-out AP50 over steps. */
public final class TrainingCurves {
    private TrainingCurves() {
    }

    /** Loss per step, and its exponential moving average (weight 0.1 on the newest step). */
    public static void writeLossPng(Path file, List<StepRecord> steps, int widthPx, int heightPx) throws IOException {
        XYSeries raw = new XYSeries("loss (one batch)");
        XYSeries smooth = new XYSeries("loss (moving average)");
        double ema = Double.NaN;
        for (StepRecord r : steps) {
            raw.add(r.step(), r.loss());
            ema = Double.isNaN(ema) ? r.loss() : 0.9 * ema + 0.1 * r.loss();
            smooth.add(r.step(), ema);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(raw);
        data.addSeries(smooth);
        JFreeChart chart = ChartFactory.createXYLineChart("training loss", "step", "loss", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setSeriesPaint(0, new Color(0x9E, 0xC5, 0xE8));
        plot.getRenderer().setSeriesPaint(1, new Color(0x1F, 0x77, 0xB4));
        plot.getRenderer().setSeriesStroke(1, new BasicStroke(2f));
        write(file, chart, widthPx, heightPx);
    }

    /** Held-out AP50 at every evaluation step. */
    public static void writeAp50Png(Path file, List<EvalRecord> evals, int widthPx, int heightPx) throws IOException {
        writeAp50Png(file, evals, "held-out AP50", widthPx, heightPx);
    }

    /** Held-out AP50 at every evaluation step, under {@code title}. */
    public static void writeAp50Png(Path file, List<EvalRecord> evals, String title, int widthPx, int heightPx) throws IOException {
        XYSeries ap = new XYSeries("AP50 (held-out, VOC all-point)");
        for (EvalRecord e : evals) {
            if (Double.isFinite(e.ap50())) {
                ap.add(e.step(), e.ap50());
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "AP50", new XYSeriesCollection(ap),
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, new Color(0xD6, 0x27, 0x28));
        plot.setRenderer(r);
        plot.getRangeAxis().setRange(0, 1);
        write(file, chart, widthPx, heightPx);
    }

    private static void write(Path file, JFreeChart chart, int w, int h) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, w, h);
    }
}
