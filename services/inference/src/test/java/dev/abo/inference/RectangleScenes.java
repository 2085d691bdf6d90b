package dev.abo.inference;

import java.util.List;
import java.util.SplittableRandom;

import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import dev.abo.core.synth.SceneGenerator;
import dev.abo.core.synth.SyntheticScene;

/**
 * A trivially learnable detection task at any resolution: one bright (230) rectangle of
 * {@value #WIDTH_FRACTION} x {@value #HEIGHT_FRACTION} of the image on dark grey noise (0-59), at a uniformly
 * random integer position; its label is the exact pixel box. Sizes are fractions of the image, so every
 * resolution of the same aspect ratio looks the same once stretched to a square network input.
 */
record RectangleScenes(int width, int height, long seed) implements SceneGenerator {
    static final double WIDTH_FRACTION = 0.3;
    static final double HEIGHT_FRACTION = 0.4;

    @Override
    public String name() {
        return "test:rectangle";
    }

    @Override
    public List<String> classNames() {
        return List.of("rectangle");
    }

    int rectWidth() {
        return (int) Math.round(WIDTH_FRACTION * width);
    }

    int rectHeight() {
        return (int) Math.round(HEIGHT_FRACTION * height);
    }

    @Override
    public SyntheticScene scene(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("scene index must be >= 0, got " + index);
        }
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
        int x0 = rng.nextInt(width - rectWidth() + 1);
        int y0 = rng.nextInt(height - rectHeight() + 1);
        return scene(Long.toString(index), x0, y0, rng);
    }

    /** The scene with the rectangle's top-left corner at {@code (x0, y0)}. */
    SyntheticScene sceneAt(int x0, int y0) {
        return scene("at-" + x0 + "-" + y0, x0, y0, new SplittableRandom(seed));
    }

    private SyntheticScene scene(String id, int x0, int y0, SplittableRandom rng) {
        RgbImage img = RgbImage.blank(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = rng.nextInt(60);
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, v);
                }
            }
        }
        for (int y = y0; y < y0 + rectHeight(); y++) {
            for (int x = x0; x < x0 + rectWidth(); x++) {
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, 230);
                }
            }
        }
        Box box = new Box(x0, y0, x0 + rectWidth(), y0 + rectHeight());
        return new SyntheticScene(img, new LabeledImage(id, null, width, height, List.of(LabeledObject.of(box, 0))), 0);
    }
}
