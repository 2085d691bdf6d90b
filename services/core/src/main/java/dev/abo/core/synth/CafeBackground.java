package dev.abo.core.synth;

import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The fixed scenery of one cafe camera: a wall with windows and a counter, a tiled floor with
 * tables, per-pixel texture, and an optional foreground (a pillar, a low partition) that stands in
 * front of the people. It is a pure function of (width, height, seed) and is shared, read-only, by
 * every scene of that seed.
 *
 * @param rgb            the scenery, {@code width * height * 3} bytes as in {@link RgbImage}
 * @param foreground     the foreground's pixels, same layout; meaningful where {@code foregroundMask} is set
 * @param foregroundMask per pixel ({@code y * width + x}): whether the foreground covers it
 */
record CafeBackground(byte[] rgb, byte[] foreground, boolean[] foregroundMask) {
    private static final int[] WALLS = {0xD6C8B2, 0xBEAA96, 0xAAB4AF, 0xE1D7C8, 0xA08270, 0xC4B59A};
    private static final int[] FLOORS = {0x96785A, 0x786E64, 0xB4AA96, 0x645041, 0x8C7B6B};
    private static final int[] WOODS = {0x6E4A2C, 0x8A6240, 0x5A3C24, 0xA07850, 0xD8D0C4};
    private static final int FOREGROUND = 0;

    /** The scenery of a camera of {@code width x height} pixels for {@code seed}. */
    static CafeBackground of(int width, int height, long seed) {
        RandomGenerator rng = new SplittableRandom(SceneSeed.mix64(seed ^ 0x5CE4E7BAC6A5D00DL));
        RgbImage scenery = RgbImage.blank(width, height);
        Canvas c = new Canvas(scenery);
        double horizon = height * (0.28 + 0.14 * rng.nextDouble());

        int wall = Shader.jitter(WALLS[rng.nextInt(WALLS.length)], 12, rng);
        c.paint(new RectFigure(new Box(0, 0, width, horizon)), Canvas.UNLABELED,
                (x, y) -> Shader.scale(wall, 0.8 + 0.25 * y / horizon));
        int windows = 1 + rng.nextInt(3);
        for (int k = 0; k < windows; k++) {
            double ww = width * (0.1 + 0.12 * rng.nextDouble());
            double x0 = rng.nextDouble() * (width - ww);
            Box b = new Box(x0, horizon * (0.12 + 0.15 * rng.nextDouble()), x0 + ww, horizon * 0.72);
            int glass = Shader.jitter(0xDCE6F0, 10, rng);
            c.paint(new RectFigure(b), Canvas.UNLABELED, (x, y) -> Shader.scale(glass, 0.9 + 0.12 * (x - x0) / ww));
        }

        int floor = Shader.jitter(FLOORS[rng.nextInt(FLOORS.length)], 12, rng);
        int tile = 14 + rng.nextInt(14);
        c.paint(new RectFigure(new Box(0, horizon, width, height)), Canvas.UNLABELED, (x, y) -> Shader.scale(floor,
                0.85 + 0.25 * (y - horizon) / (height - horizon) + (((x / tile + y / tile) & 1) == 0 ? 0.04 : -0.04)));

        double cw = width * (0.3 + 0.3 * rng.nextDouble());
        double cx0 = rng.nextDouble() * (width - cw);
        Box counter = new Box(cx0, horizon - 0.12 * height, cx0 + cw, horizon + 0.05 * height);
        int wood = Shader.jitter(WOODS[rng.nextInt(WOODS.length)], 10, rng);
        c.paint(new RectFigure(counter), Canvas.UNLABELED,
                (x, y) -> Shader.scale(wood, y < counter.y1() + 4 ? 1.25 : 0.95));

        int tables = 3 + rng.nextInt(4);
        for (int k = 0; k < tables; k++) {
            double t = rng.nextDouble();
            double cy = horizon + 0.1 * height + t * (0.9 * height - horizon - 0.1 * height);
            double tw = width * (0.1 + 0.08 * rng.nextDouble()) * (0.6 + 0.6 * (cy / height));
            double th = tw * (0.3 + 0.2 * rng.nextDouble());
            double cx = rng.nextDouble() * width;
            int top = Shader.jitter(WOODS[rng.nextInt(WOODS.length)], 10, rng);
            Box b = Box.ofCenter(cx, cy, tw, th);
            Figure f = rng.nextBoolean() ? new RectFigure(b) : EllipseFigure.inscribed(b);
            c.paint(f, Canvas.UNLABELED, (x, y) -> Shader.scale(top, 0.9 + 0.2 * (x + 0.5 - b.x1()) / tw));
        }
        CameraNoise.apply(scenery.rgb(), 1, 0, 5, rng);

        RgbImage front = RgbImage.blank(width, height);
        Canvas f = new Canvas(front);
        if (rng.nextDouble() < 0.7) {
            double pw = 10 + 12 * rng.nextDouble();
            double px = rng.nextDouble() * (width - pw);
            int stone = Shader.jitter(0x9C9A96, 20, rng);
            f.paint(new RectFigure(new Box(px, 0, px + pw, height)), FOREGROUND,
                    (x, y) -> Shader.scale(stone, 0.65 + 0.5 * Math.sin(Math.PI * (x + 0.5 - px) / pw)));
        }
        if (rng.nextDouble() < 0.5) {
            double lw = width * (0.2 + 0.3 * rng.nextDouble());
            double lx = rng.nextDouble() * (width - lw);
            double lh = 10 + 15 * rng.nextDouble();
            int panel = Shader.jitter(WOODS[rng.nextInt(WOODS.length)], 10, rng);
            f.paint(new RectFigure(new Box(lx, height - lh, lx + lw, height)), FOREGROUND,
                    (x, y) -> Shader.scale(panel, y < height - lh + 3 ? 1.2 : 0.9));
        }
        return new CafeBackground(scenery.rgb(), front.rgb(), f.mask(FOREGROUND));
    }
}
