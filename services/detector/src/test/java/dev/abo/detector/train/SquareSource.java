package dev.abo.detector.train;

import java.util.List;
import java.util.SplittableRandom;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;

/**
 * Sample i: one bright square on a dark noisy background, side from one of two clusters ({@code small} or
 * {@code large} px, times exp(N(0, 0.1^2))), at a random position; a pure function of (seed, i).
 */
record SquareSource(int size, double small, double large, long seed) implements SampleSource {

    @Override
    public List<String> classNames() {
        return List.of("square");
    }

    @Override
    public int inputWidth() {
        return size;
    }

    @Override
    public int inputHeight() {
        return size;
    }

    @Override
    public long epochLength() {
        return -1;
    }

    @Override
    public TrainingSample sample(long index) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
        RgbImage img = RgbImage.blank(size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = rng.nextInt(60);
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, v);
                }
            }
        }
        double side = (rng.nextBoolean() ? small : large) * Math.exp(0.1 * gaussian(rng));
        int s = (int) Math.max(2, Math.min(size - 2, Math.round(side)));
        int x0 = rng.nextInt(size - s + 1);
        int y0 = rng.nextInt(size - s + 1);
        for (int y = y0; y < y0 + s; y++) {
            for (int x = x0; x < x0 + s; x++) {
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, 230);
                }
            }
        }
        return new TrainingSample(img, List.of(LabeledObject.of(new Box(x0, y0, x0 + s, y0 + s), 0)), "square#" + index);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
