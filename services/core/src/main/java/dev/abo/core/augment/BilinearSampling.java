package dev.abo.core.augment;

import dev.abo.core.image.RgbImage;

/**
 * Bilinear resampling of an {@link RgbImage} through an {@link AffineCrop}.
 *
 * <p>Convention: pixel {@code (i, j)} covers {@code [i, i+1) x [j, j+1)} and its value sits at its
 * centre {@code (i + 0.5, j + 0.5)}, in the source as in the output. Output pixel {@code (i, j)} takes
 * the source colour at the crop's inverse image of its centre, interpolated between the four source
 * pixels whose centres surround that point. A point inside the source image {@code [0, w) x [0, h)}
 * but within half a pixel of its border repeats the border pixel; a point outside gets the fill
 * colour. So the image content ends exactly at the mapped image border, and a colour edge on an
 * integer source coordinate maps to the output point where the blend is half-way.
 *
 * <p>Weights are 11-bit fixed point (1/2048 of a source pixel) and results round to nearest; the
 * per-column and per-row weights are computed once, the pixel loop allocates nothing.
 */
final class BilinearSampling {

    private static final int BITS = 11;
    private static final int ONE = 1 << BITS;
    private static final int HALF = 1 << (2 * BITS - 1);

    private BilinearSampling() {
    }

    static RgbImage resample(RgbImage source, AffineCrop crop) {
        int w = crop.outputWidth();
        int h = crop.outputHeight();
        int sw = source.width();
        int sh = source.height();
        // columns: byte offsets of the two source pixels (left, right), weight of the right one
        int[] col0 = new int[w];
        int[] col1 = new int[w];
        int[] colW = new int[w];
        boolean[] colIn = new boolean[w];
        double invSx = 1 / crop.scaleX();
        for (int i = 0; i < w; i++) {
            double xo = i + 0.5;
            double u = crop.window().x1() + (crop.flip() ? w - xo : xo) * invSx;
            colIn[i] = u >= 0 && u < sw;
            int[] tap = taps(u, sw);
            col0[i] = tap[0] * 3;
            col1[i] = tap[1] * 3;
            colW[i] = tap[2];
        }
        int[] row0 = new int[h];
        int[] row1 = new int[h];
        int[] rowW = new int[h];
        boolean[] rowIn = new boolean[h];
        double invSy = 1 / crop.scaleY();
        for (int j = 0; j < h; j++) {
            double v = crop.window().y1() + (j + 0.5) * invSy;
            rowIn[j] = v >= 0 && v < sh;
            int[] tap = taps(v, sh);
            row0[j] = tap[0] * sw * 3;
            row1[j] = tap[1] * sw * 3;
            rowW[j] = tap[2];
        }
        byte[] src = source.rgb();
        byte[] out = new byte[w * h * 3];
        byte fr = (byte) (crop.fillRgb() >> 16);
        byte fg = (byte) (crop.fillRgb() >> 8);
        byte fb = (byte) crop.fillRgb();
        int o = 0;
        for (int j = 0; j < h; j++) {
            int r0 = row0[j];
            int r1 = row1[j];
            int wy1 = rowW[j];
            int wy0 = ONE - wy1;
            boolean inRow = rowIn[j];
            for (int i = 0; i < w; i++, o += 3) {
                if (!inRow || !colIn[i]) {
                    out[o] = fr;
                    out[o + 1] = fg;
                    out[o + 2] = fb;
                    continue;
                }
                int wx1 = colW[i];
                int wx0 = ONE - wx1;
                int a = r0 + col0[i];
                int b = r0 + col1[i];
                int c = r1 + col0[i];
                int d = r1 + col1[i];
                for (int ch = 0; ch < 3; ch++) {
                    int top = (src[a + ch] & 0xFF) * wx0 + (src[b + ch] & 0xFF) * wx1;
                    int bottom = (src[c + ch] & 0xFF) * wx0 + (src[d + ch] & 0xFF) * wx1;
                    out[o + ch] = (byte) ((top * wy0 + bottom * wy1 + HALF) >>> (2 * BITS));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * The two source pixel indices (clamped to {@code [0, n-1]}) around continuous coordinate
     * {@code u} and the fixed-point weight of the second; called once per row and column.
     */
    private static int[] taps(double u, int n) {
        double f = u - 0.5;
        if (!(f > -1)) {
            f = -1; // far outside (fill colour anyway); keeps the int conversion in range
        } else if (f > n) {
            f = n;
        }
        int p0 = (int) Math.floor(f);
        int weight = (int) Math.round((f - p0) * ONE);
        if (weight == ONE) {
            p0++;
            weight = 0;
        }
        return new int[] {clamp(p0, n), clamp(p0 + 1, n), weight};
    }

    private static int clamp(int p, int n) {
        return p < 0 ? 0 : (p >= n ? n - 1 : p);
    }
}
