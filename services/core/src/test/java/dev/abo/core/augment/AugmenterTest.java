package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static final RgbImage SOURCE = scene();
    private static final List<LabeledObject> OBJECTS = List.of(
            new LabeledObject(new Box(30, 20, 90, 100), 0, true, false, 4000),
            LabeledObject.of(new Box(150, 60, 190, 130), 1),
            LabeledObject.of(new Box(0, 0, 8, 8), 2));

    @Test
    void sameSeedGivesTheSameResult() {
        Augmenter augmenter = new Augmenter(AugmentConfig.yolov2(128, 96));

        for (int seed = 0; seed < 20; seed++) {
            Augmented a = augmenter.apply(SOURCE, OBJECTS, new SplittableRandom(seed));
            Augmented b = augmenter.apply(SOURCE, OBJECTS, new SplittableRandom(seed));
            assertThat(a).isEqualTo(b);
            assertThat(a.objects().size() + a.droppedBoxes()).isEqualTo(OBJECTS.size());
        }
    }

    @Test
    void isTheSampledCropFollowedByTheSampledColourShift() {
        AugmentConfig config = AugmentConfig.yolov2(128, 96);
        Augmenter augmenter = new Augmenter(config);

        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            AffineCrop crop = config.jitterCrop().sample(SOURCE.width(), SOURCE.height(), rng);
            HsvShift shift = config.hsvJitter().sample(rng);
            Augmented expected = crop.apply(SOURCE, OBJECTS, VisibilityRule.DEFAULT);

            Augmented actual = augmenter.apply(SOURCE, OBJECTS, new SplittableRandom(seed));

            assertThat(actual).isEqualTo(new Augmented(shift.apply(expected.image()), expected.objects(),
                    expected.droppedBoxes()));
        }
    }

    @Test
    void colourChangesLeaveBoxesAlone() {
        AugmentConfig colour = AugmentConfig.yolov2(128, 96);
        AugmentConfig plain = new AugmentConfig(128, 96, 0.2, Scaling.RANDOM, 0.5, 0, 1, 1, 0.2, 1, AffineCrop.GREY_127);
        int differentPixels = 0;

        for (int seed = 0; seed < 20; seed++) {
            Augmented a = new Augmenter(colour).apply(SOURCE, OBJECTS, new SplittableRandom(seed));
            Augmented b = new Augmenter(plain).apply(SOURCE, OBJECTS, new SplittableRandom(seed));
            assertThat(a.objects()).isEqualTo(b.objects());
            assertThat(a.droppedBoxes()).isEqualTo(b.droppedBoxes());
            differentPixels += a.image().equals(b.image()) ? 0 : 1;
        }
        assertThat(differentPixels).isEqualTo(20);
    }

    @Test
    void noScalingCropsAtOneSourcePixelPerInputPixel() {
        // Brainwash-like: 64x64 crops of the 200x150 source; boxes keep their size where not cut
        Augmenter augmenter = new Augmenter(AugmentConfig.yolov2(64, 64).withScaling(Scaling.NONE));
        int uncutBoxes = 0;

        for (int seed = 0; seed < 50; seed++) {
            Augmented a = augmenter.apply(SOURCE, OBJECTS, new SplittableRandom(seed));
            for (LabeledObject o : a.objects()) {
                Box source = OBJECTS.get(o.classId()).box();
                assertThat(o.box().width()).isLessThanOrEqualTo(source.width() + 1e-9);
                assertThat(o.box().height()).isLessThanOrEqualTo(source.height() + 1e-9);
                boolean uncut = o.box().x1() > 0 && o.box().y1() > 0 && o.box().x2() < 64 && o.box().y2() < 64;
                if (uncut) {
                    uncutBoxes++;
                    assertThat(o.box().width()).isEqualTo(source.width(), within(1e-9));
                }
            }
        }
        assertThat(uncutBoxes).isPositive();
    }

    private static RgbImage scene() {
        RgbImage img = AffineCropTest.solid(200, 150, 200, 180, 40);
        for (int y = 20; y < 100; y++) {
            for (int x = 30; x < 90; x++) {
                img.set(x, y, 0, 20);
                img.set(x, y, 2, 220);
            }
        }
        return img;
    }
}
