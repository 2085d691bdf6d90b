package dev.abo.cli.plot;

/**
 * A Gaussian-smoothed 2-D histogram of box shapes in the (log w, log h) plane: the kernel density
 * underneath the paper's Fig. 2/3.
 *
 * @param minLog   lower edge of both axes (natural log of pixels)
 * @param maxLog   upper edge of both axes
 * @param bins     bins per axis
 * @param density  row-major [hBin][wBin] density, normalised so that the maximum is 1
 */
public record ShapeDensity(double minLog, double maxLog, int bins, double[][] density) {

    /**
     * Estimates the density of the given shapes.
     *
     * @param widths   box widths in pixels
     * @param heights  box heights in pixels
     * @param bins     bins per axis (e.g. 80)
     * @param sigmaBins standard deviation of the Gaussian kernel, in bins
     */
    public static ShapeDensity estimate(double[] widths, double[] heights, int bins, double sigmaBins) {
        if (widths.length != heights.length) {
            throw new IllegalArgumentException("widths and heights differ in length");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < widths.length; i++) {
            double lw = Math.log(widths[i]);
            double lh = Math.log(heights[i]);
            lo = Math.min(lo, Math.min(lw, lh));
            hi = Math.max(hi, Math.max(lw, lh));
        }
        if (widths.length == 0) {
            lo = 0;
            hi = Math.log(512);
        }
        double pad = Math.max(0.25, 0.05 * (hi - lo));
        lo -= pad;
        hi += pad;
        double[][] hist = new double[bins][bins];
        double scale = bins / (hi - lo);
        for (int i = 0; i < widths.length; i++) {
            int bx = Math.min(bins - 1, (int) ((Math.log(widths[i]) - lo) * scale));
            int by = Math.min(bins - 1, (int) ((Math.log(heights[i]) - lo) * scale));
            hist[by][bx] += 1;
        }
        double[][] smooth = blur(hist, sigmaBins);
        double max = 0;
        for (double[] row : smooth) {
            for (double v : row) {
                max = Math.max(max, v);
            }
        }
        if (max > 0) {
            for (double[] row : smooth) {
                for (int j = 0; j < row.length; j++) {
                    row[j] /= max;
                }
            }
        }
        return new ShapeDensity(lo, hi, bins, smooth);
    }

    /** Width of one bin in log units. */
    public double binWidth() {
        return (maxLog - minLog) / bins;
    }

    /** Centre of bin {@code i} in log units. */
    public double binCenter(int i) {
        return minLog + (i + 0.5) * binWidth();
    }

    /** Separable Gaussian blur with a kernel truncated at 3 sigma. */
    private static double[][] blur(double[][] in, double sigma) {
        int n = in.length;
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
        }
        double[][] tmp = new double[n][n];
        double[][] out = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int d = -r; d <= r; d++) {
                    int xx = x + d;
                    if (xx >= 0 && xx < n) {
                        s += k[d + r] * in[y][xx];
                    }
                }
                tmp[y][x] = s;
            }
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int d = -r; d <= r; d++) {
                    int yy = y + d;
                    if (yy >= 0 && yy < n) {
                        s += k[d + r] * tmp[yy][x];
                    }
                }
                out[y][x] = s;
            }
        }
        return out;
    }
}
