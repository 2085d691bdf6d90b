package dev.abo.core.synth;

import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.Arrays;
import java.util.Optional;

/**
 * Paints figures straight into an {@link RgbImage}'s byte buffer, without anti-aliasing, and
 * remembers which labelled object last painted each pixel so that occlusion can be measured after
 * the scene is complete.
 */
final class Canvas {
    /** Owner of pixels that belong to no labelled object (background, clutter, foreground). */
    static final int UNLABELED = -1;

    private final RgbImage image;
    private final byte[] rgb;
    private final int[] owner;
    private final double[] span = new double[2];

    /** A canvas over {@code image}'s pixels (painted in place); every pixel starts {@link #UNLABELED}. */
    Canvas(RgbImage image) {
        this.image = image;
        this.rgb = image.rgb();
        this.owner = new int[image.width() * image.height()];
        Arrays.fill(owner, UNLABELED);
    }

    RgbImage image() {
        return image;
    }

    /** Sets every pixel to one packed colour. */
    void fill(int color) {
        for (int p = 0; p < rgb.length; p += 3) {
            put(p, color);
        }
    }

    /**
     * Paints the pixels whose centres lie in {@code figure} (clipped to the image) with
     * {@code shader}, marks them as owned by {@code ownerId}, and returns what was covered; empty
     * when no pixel centre lies in the figure.
     */
    Optional<Coverage> paint(Figure figure, int ownerId, Shader shader) {
        int w = image.width();
        Box e = figure.extent();
        int yFrom = Math.max(0, (int) Math.ceil(e.y1() - 0.5));
        int yTo = Math.min(image.height() - 1, (int) Math.floor(e.y2() - 0.5));
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        int count = 0;
        for (int y = yFrom; y <= yTo; y++) {
            if (!figure.rowSpan(y + 0.5, span)) {
                continue;
            }
            int xFrom = Math.max(0, (int) Math.ceil(span[0] - 0.5));
            int xTo = Math.min(w - 1, (int) Math.floor(span[1] - 0.5));
            if (xFrom > xTo) {
                continue;
            }
            int row = y * w;
            if (shader instanceof Shader.Flat flat) {
                for (int i = row + xFrom; i <= row + xTo; i++) {
                    put(i * 3, flat.color());
                }
            } else {
                for (int x = xFrom; x <= xTo; x++) {
                    put((row + x) * 3, shader.rgb(x, y));
                }
            }
            Arrays.fill(owner, row + xFrom, row + xTo + 1, ownerId);
            minX = Math.min(minX, xFrom);
            maxX = Math.max(maxX, xTo);
            minY = Math.min(minY, y);
            maxY = y;
            count += xTo - xFrom + 1;
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(new Coverage(new Box(minX, minY, maxX + 1, maxY + 1), count));
    }

    /**
     * Copies the pixels of {@code layer} where {@code mask} is set (index {@code y * width + x}) and
     * marks them {@link #UNLABELED}: an opaque foreground in front of everything painted so far.
     */
    void overlay(byte[] layer, boolean[] mask) {
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                System.arraycopy(layer, i * 3, rgb, i * 3, 3);
                owner[i] = UNLABELED;
            }
        }
    }

    /** Per pixel (index {@code y * width + x}): whether {@code ownerId} owns it. */
    boolean[] mask(int ownerId) {
        boolean[] m = new boolean[owner.length];
        for (int i = 0; i < owner.length; i++) {
            m[i] = owner[i] == ownerId;
        }
        return m;
    }

    /** For owner ids {@code 0 .. n-1}: how many pixels each still owns (is visible on). */
    int[] visiblePixels(int n) {
        int[] counts = new int[n];
        for (int o : owner) {
            if (o >= 0 && o < n) {
                counts[o]++;
            }
        }
        return counts;
    }

    private void put(int p, int color) {
        rgb[p] = (byte) (color >> 16);
        rgb[p + 1] = (byte) (color >> 8);
        rgb[p + 2] = (byte) color;
    }
}
