package dev.abo.core.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.RgbImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AffineCropTest {

    private static final Box CENTRE_CROP = new Box(50, 0, 150, 100);

    @Test
    void mapsABoxThroughAUnitScaleCropByHand() {
        // source 200x100, window [50,0,150,100] -> 100x100: sx = sy = 1, x' = x - 50, y' = y
        AffineCrop crop = new AffineCrop(CENTRE_CROP, 100, 100, false, AffineCrop.GREY_127);

        assertThat(crop.mapBox(new Box(60, 10, 80, 30))).isEqualTo(new Box(10, 10, 30, 30));
    }

    @Test
    void mirrorsTheMappedBoxWhenFlipped() {
        // unflipped [10,30] in a 100-wide output; mirrored x' -> 100 - x' gives [70,90]
        AffineCrop crop = new AffineCrop(CENTRE_CROP, 100, 100, true, AffineCrop.GREY_127);

        assertThat(crop.mapBox(new Box(60, 10, 80, 30))).isEqualTo(new Box(70, 10, 90, 30));
    }

    @Test
    void mapsWithIndependentScalesByHand() {
        // window [10,20,110,70] (100x50) -> 200x200: sx = 2, sy = 4
        AffineCrop crop = new AffineCrop(new Box(10, 20, 110, 70), 200, 200, false, 0);

        // x: (30-10)*2 = 40, (60-10)*2 = 100; y: (25-20)*4 = 20, (45-20)*4 = 100
        assertThat(crop.mapBox(new Box(30, 25, 60, 45))).isEqualTo(new Box(40, 20, 100, 100));
    }

    @Test
    void unitScaleIntegerCropCopiesPixelsExactly() {
        RgbImage source = gradient(200, 100);
        RgbImage out = new AffineCrop(CENTRE_CROP, 100, 100, false, 0).resample(source);
        RgbImage flipped = new AffineCrop(CENTRE_CROP, 100, 100, true, 0).resample(source);

        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(out.get(x, y, c)).isEqualTo(source.get(50 + x, y, c));
                    assertThat(flipped.get(x, y, c)).isEqualTo(source.get(50 + 99 - x, y, c));
                }
            }
        }
    }

    @Test
    void upsamplesBilinearlyAtPixelCentres() {
        // 2x1 grey image [0, 200] -> 4x1: output centres 0.5..3.5 sample source 0.25, 0.75, 1.25, 1.75;
        // minus 0.5 for the source centres: -0.25 (border repeat: 0), 0.25 (50), 0.75 (150), 1.25 (border: 200)
        RgbImage source = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 200, (byte) 200, (byte) 200});

        RgbImage out = new AffineCrop(new Box(0, 0, 2, 1), 4, 1, false, 0).resample(source);

        assertThat(new int[] {out.get(0, 0, 0), out.get(1, 0, 1), out.get(2, 0, 2), out.get(3, 0, 0)})
                .containsExactly(0, 50, 150, 200);
    }

    @Test
    void fillsOutsideTheSourceImageSharply() {
        // window [-10,0,30,10] of a white 20x10 image -> 40x10 at unit scale: source x in [0,20) is
        // output columns 10..29; columns 0..9 and 30..39 are the fill colour, with no blend at the border
        RgbImage white = solid(20, 10, 255, 255, 255);

        RgbImage out = new AffineCrop(new Box(-10, 0, 30, 10), 40, 10, false, 0x102030).resample(white);

        for (int x = 0; x < 40; x++) {
            boolean inside = x >= 10 && x < 30;
            assertThat(new int[] {out.get(x, 5, 0), out.get(x, 5, 1), out.get(x, 5, 2)}).as("column %d", x)
                    .containsExactly(inside ? new int[] {255, 255, 255} : new int[] {0x10, 0x20, 0x30});
        }
    }

    @Test
    void toSourceInvertsMapBox() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < 200; k++) {
            double x = rng.nextDouble(-50, 250);
            double y = rng.nextDouble(-50, 150);
            Box window = new Box(x, y, x + rng.nextDouble(5, 300), y + rng.nextDouble(5, 300));
            AffineCrop crop = new AffineCrop(window, rng.nextInt(1, 500), rng.nextInt(1, 500), rng.nextBoolean(), 0);
            Box box = new Box(rng.nextDouble(0, 100), rng.nextDouble(0, 50), rng.nextDouble(100, 200), rng.nextDouble(50, 100));

            Box back = crop.toSource(crop.mapBox(box));

            assertThat(back.x1()).isCloseTo(box.x1(), within(1e-9));
            assertThat(back.y1()).isCloseTo(box.y1(), within(1e-9));
            assertThat(back.x2()).isCloseTo(box.x2(), within(1e-9));
            assertThat(back.y2()).isCloseTo(box.y2(), within(1e-9));
        }
    }

    @Test
    void clipsBoxesScalesTheirAreaAndCountsTheDropped() {
        // window [50,0,150,100] -> 50x50: sx = sy = 0.5
        AffineCrop crop = new AffineCrop(CENTRE_CROP, 50, 50, false, 0);
        LabeledObject inside = new LabeledObject(new Box(60, 10, 80, 30), 1, true, false, 300);
        // [40,40,60,60] -> [-5,20,5,30]: clipped [0,20,5,30], half visible -> kept, area 400*0.25*0.5 = 50
        LabeledObject halfOut = LabeledObject.of(new Box(40, 40, 60, 60), 2);
        // [0,0,55,100] -> [-25,0,2.5,50]: 2.5 of 27.5 wide visible (9%) -> dropped
        LabeledObject mostlyOut = LabeledObject.of(new Box(0, 0, 55, 100), 3);
        // [160,0,190,100] -> entirely right of the output -> dropped
        LabeledObject outside = LabeledObject.of(new Box(160, 0, 190, 100), 4);

        Augmented a = crop.apply(solid(200, 100, 0, 0, 0), List.of(inside, halfOut, mostlyOut, outside),
                VisibilityRule.DEFAULT);

        // inside: [5,5,15,15], declared area 300 * 0.25
        assertThat(a.objects()).containsExactly(
                new LabeledObject(new Box(5, 5, 15, 15), 1, true, false, 75),
                new LabeledObject(new Box(0, 20, 5, 30), 2, false, false, 50));
        assertThat(a.droppedBoxes()).isEqualTo(2);
        assertThat(a.image().width()).isEqualTo(50);
    }

    @Test
    void rejectsInvalidWindowsSizesAndFills() {
        assertThatThrownBy(() -> new AffineCrop(new Box(0, 0, 0, 10), 10, 10, false, 0))
                .hasMessage("crop window must be finite with positive size, got Box[x1=0.0, y1=0.0, x2=0.0, y2=10.0]");
        assertThatThrownBy(() -> new AffineCrop(new Box(0, 0, 10, 10), 10, 0, false, 0))
                .hasMessage("output size must be positive, got 10x0");
        assertThatThrownBy(() -> new AffineCrop(new Box(0, 0, 10, 10), 10, 10, false, 0x1000000))
                .hasMessage("fillRgb must be in [0, 0xFFFFFF], got 16777216");
    }

    static RgbImage solid(int w, int h, int r, int g, int b) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, r);
                img.set(x, y, 1, g);
                img.set(x, y, 2, b);
            }
        }
        return img;
    }

    private static RgbImage gradient(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, x);
                img.set(x, y, 1, y * 2);
                img.set(x, y, 2, (x * 7 + y * 13) % 256);
            }
        }
        return img;
    }
}
