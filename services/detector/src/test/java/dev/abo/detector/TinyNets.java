package dev.abo.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;

/** Small configurations and a trivially learnable synthetic scene set shared by the tests. */
final class TinyNets {
    private TinyNets() {
    }

    /** 16x16 input, 3 blocks 3-4-4 (stride 4, grid 4x4), A = 2, C = 2, DOUBLE: for gradient checks. */
    static DetectorConfig gradientCheckConfig() {
        return DetectorConfig.defaults(16, 2)
                .withBackbone(List.of(3, 4, 4))
                .withAnchors(2, DetectorConfig.AnchorMode.LEARNED)
                .withObjectness(DetectorConfig.ObjectnessTarget.ONE, 1.0)
                .withPrecision(DetectorConfig.Precision.DOUBLE);
    }

    /** 64x64 input, 5 blocks 8-16-16-32-32 (stride 16, grid 4x4), A = 2, C = 1, FLOAT. */
    static DetectorConfig trainingConfig() {
        return DetectorConfig.defaults(64, 1)
                .withBackbone(List.of(8, 16, 16, 32, 32))
                .withAnchors(2, DetectorConfig.AnchorMode.LEARNED)
                .withLearningRates(3e-3, 5e-2);
    }

    /** A labelled image. */
    record Scene(RgbImage image, List<LabeledObject> objects) {
    }

    /**
     * One bright square per image on a dark noisy background, at a random position, its side drawn
     * from one of two clusters: {@code small} or {@code large} pixels, each times exp(N(0, 0.1^2)).
     */
    static List<Scene> squares(int n, int size, double small, double large, Random rng) {
        List<Scene> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RgbImage img = RgbImage.blank(size, size);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = rng.nextInt(60);
                    for (int c = 0; c < 3; c++) {
                        img.set(x, y, c, v);
                    }
                }
            }
            double side = (rng.nextBoolean() ? small : large) * Math.exp(0.1 * rng.nextGaussian());
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
            out.add(new Scene(img, List.of(LabeledObject.of(new Box(x0, y0, x0 + s, y0 + s), 0))));
        }
        return out;
    }

    static List<RgbImage> images(List<Scene> scenes) {
        return scenes.stream().map(Scene::image).toList();
    }

    static List<List<LabeledObject>> objects(List<Scene> scenes) {
        return scenes.stream().map(Scene::objects).toList();
    }
}
