package dev.abo.core.synth;

import java.util.random.RandomGenerator;

/**
 * The look of one head: hair on top (or all over, seen from behind) and skin below, shaded like a
 * lit sphere.
 *
 * @param head     the head's ellipse
 * @param skin     packed skin colour
 * @param hair     packed hair colour
 * @param hairline in head-normalised units (-1 top .. 1 bottom): hair above {@code hairline + 0.5 u^2}
 * @param lightU   light direction, x component (unit vector together with {@code lightV})
 * @param lightV   light direction, y component
 */
record HeadShader(EllipseFigure head, int skin, int hair, double hairline, double lightU, double lightV)
        implements Shader {
    private static final int[] SKINS = {0xF1C8A8, 0xE0AC8A, 0xC68C64, 0x9A6444, 0x6E4630, 0xD9A07A};
    private static final int[] HAIRS = {0x1E1812, 0x3A2618, 0x5E3E24, 0x8A6A40, 0xC8A868, 0x8C8A86, 0x2B2B30};

    /** A random look for {@code head}: one in five is seen from behind (all hair). */
    static HeadShader random(EllipseFigure head, RandomGenerator rng) {
        int skin = Shader.jitter(SKINS[rng.nextInt(SKINS.length)], 10, rng);
        int hair = Shader.jitter(HAIRS[rng.nextInt(HAIRS.length)], 8, rng);
        double hairline = rng.nextDouble() < 0.2 ? 2.0 : -0.45 + 0.5 * rng.nextDouble();
        double angle = -Math.PI * (0.25 + 0.5 * rng.nextDouble());
        return new HeadShader(head, skin, hair, hairline, Math.cos(angle), Math.sin(angle));
    }

    @Override
    public int rgb(int x, int y) {
        double u = (x + 0.5 - head.cx()) / head.rx();
        double v = (y + 0.5 - head.cy()) / head.ry();
        int base = v < hairline + 0.5 * u * u ? hair : skin;
        return Shader.scale(base, 1.05 - 0.3 * (u * u + v * v) + 0.2 * (u * lightU + v * lightV));
    }
}
