package dev.abo.core.eval;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic COCO-like ground truth and detection set for benchmarks and cross-checks:
 * 640x480 images with ids "1".."n", 1-12 objects each (sides log-uniform in 8..400 px, so all three
 * area ranges occur; 1% crowd), and exactly {@code detsPerImage} detections per image: jittered
 * copies of most objects (now and then with the wrong class) plus random boxes, scores rounded to
 * 3 decimals so that ties occur. Coordinates are multiples of 1/4 pixel so that corner and
 * {@code [x, y, w, h]} forms convert exactly.
 *
 * @param dataset    the ground truth
 * @param detections image id -> detections, in image order
 */
public record SyntheticEvalSet(Dataset dataset, Map<String, List<Detection>> detections) {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;

    /** The same arguments always give the same set. */
    public static SyntheticEvalSet generate(int images, int detsPerImage, int classes, long seed) {
        if (images < 0 || detsPerImage < 0 || classes < 1) {
            throw new IllegalArgumentException("need images >= 0, detsPerImage >= 0, classes >= 1");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("class" + k);
        }
        List<LabeledImage> list = new ArrayList<>();
        Map<String, List<Detection>> dets = new LinkedHashMap<>();
        for (int i = 1; i <= images; i++) {
            String id = Integer.toString(i);
            int n = 1 + rnd.nextInt(12);
            List<LabeledObject> objects = new ArrayList<>();
            List<Detection> found = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                Box b = randomBox(rnd);
                int cls = rnd.nextInt(classes);
                boolean crowd = rnd.nextDouble() < 0.01;
                objects.add(new LabeledObject(b, cls, false, crowd, b.area()));
                if (found.size() < detsPerImage && rnd.nextDouble() < 0.7) {
                    int dcls = rnd.nextDouble() < 0.9 ? cls : rnd.nextInt(classes);
                    found.add(new Detection(jitter(b, rnd), dcls, score(0.3 + 0.7 * rnd.nextDouble())));
                }
            }
            while (found.size() < detsPerImage) {
                found.add(new Detection(randomBox(rnd), rnd.nextInt(classes), score(0.6 * rnd.nextDouble())));
            }
            list.add(new LabeledImage(id, null, WIDTH, HEIGHT, objects));
            dets.put(id, found);
        }
        return new SyntheticEvalSet(new Dataset("synthetic-" + seed, names, list), dets);
    }

    private static Box randomBox(SplittableRandom rnd) {
        double w = quarter(Math.min(WIDTH - 1, Math.exp(Math.log(8) + rnd.nextDouble() * Math.log(50))));
        double h = quarter(Math.min(HEIGHT - 1, w * Math.exp(rnd.nextDouble() - 0.5)));
        double x = quarter(rnd.nextDouble() * (WIDTH - w));
        double y = quarter(rnd.nextDouble() * (HEIGHT - h));
        return new Box(x, y, x + Math.max(w, 1), y + Math.max(h, 1));
    }

    private static Box jitter(Box b, SplittableRandom rnd) {
        double dx = quarter((rnd.nextDouble() - 0.5) * 0.3 * b.width());
        double dy = quarter((rnd.nextDouble() - 0.5) * 0.3 * b.height());
        double dw = quarter((rnd.nextDouble() - 0.5) * 0.3 * b.width());
        double dh = quarter((rnd.nextDouble() - 0.5) * 0.3 * b.height());
        double x1 = b.x1() + dx;
        double y1 = b.y1() + dy;
        return new Box(x1, y1, x1 + Math.max(1, b.width() + dw), y1 + Math.max(1, b.height() + dh));
    }

    private static double quarter(double v) {
        return Math.round(v * 4) / 4.0;
    }

    private static double score(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}
