package dev.abo.core.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoxCodecTest {

    private static final double EPS = 1e-12;

    @Test
    void encodesACentredBoxTwiceAsWideAsItsAnchor() {
        // stride 32, cell (2,3), anchor 64x32, box centre (80,112) size 128x32:
        // offset x = 80/32 - 2 = 0.5 -> tx = logit(0.5) = 0; offset y = 112/32 - 3 = 0.5 -> ty = 0;
        // tw = log(128/64) = log 2; th = log(32/32) = 0
        BoxDelta t = BoxCodec.encode(Box.ofCenter(80, 112, 128, 32), 2, 3, 32, new Shape(64, 32));
        assertThat(t.tx()).isCloseTo(0, within(EPS));
        assertThat(t.ty()).isCloseTo(0, within(EPS));
        assertThat(t.tw()).isCloseTo(Math.log(2), within(EPS));
        assertThat(t.th()).isCloseTo(0, within(EPS));
    }

    @Test
    void encodesAQuarterOffsetAsLogitOfAQuarter() {
        // centre (72,104) at stride 32 in cell (2,3): offsets 72/32 - 2 = 0.25 and 104/32 - 3 = 0.25;
        // logit(0.25) = log(0.25 / 0.75) = -log 3. Size 32x64 vs anchor 64x32: tw = -log 2, th = log 2
        BoxDelta t = BoxCodec.encode(Box.ofCenter(72, 104, 32, 64), 2, 3, 32, new Shape(64, 32));
        assertThat(t.tx()).isCloseTo(-Math.log(3), within(EPS));
        assertThat(t.ty()).isCloseTo(-Math.log(3), within(EPS));
        assertThat(t.tw()).isCloseTo(-Math.log(2), within(EPS));
        assertThat(t.th()).isCloseTo(Math.log(2), within(EPS));
    }

    @Test
    void decodesHandDerivedOutputs() {
        // cell (1,0), stride 16, anchor 10x20, t = (0, log 3, log 0.5, 0):
        // sigma(0) = 0.5 -> cx = (1 + 0.5) * 16 = 24; sigma(log 3) = 3/(1+3) = 0.75 -> cy = 0.75 * 16 = 12;
        // w = 10 * 0.5 = 5, h = 20 -> corners (21.5, 2, 26.5, 22)
        Box b = BoxCodec.decode(new BoxDelta(0, Math.log(3), Math.log(0.5), 0), 1, 0, 16, new Shape(10, 20));
        assertThat(b.x1()).isCloseTo(21.5, within(EPS));
        assertThat(b.y1()).isCloseTo(2, within(EPS));
        assertThat(b.x2()).isCloseTo(26.5, within(EPS));
        assertThat(b.y2()).isCloseTo(22, within(EPS));
    }

    @Test
    void decodeOfEncodeIsTheIdentityForManyBoxes() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] strides = {8, 16, 32};
        for (int i = 0; i < 20_000; i++) {
            double stride = strides[rng.nextInt(strides.length)];
            int grid = 13;
            double size = grid * stride;
            Box box = Box.ofCenter(rng.nextDouble() * size, rng.nextDouble() * size,
                    Math.exp(rng.nextDouble(0, Math.log(size))), Math.exp(rng.nextDouble(0, Math.log(size))));
            Shape anchor = new Shape(Math.exp(rng.nextDouble(0, 6)), Math.exp(rng.nextDouble(0, 6)));
            GridCell cell = BoxCodec.cellOf(box, stride, grid, grid);
            Box back = BoxCodec.decode(BoxCodec.encode(box, cell.x(), cell.y(), stride, anchor),
                    cell.x(), cell.y(), stride, anchor);
            assertThat(back.x1()).isCloseTo(box.x1(), within(1e-9));
            assertThat(back.y1()).isCloseTo(box.y1(), within(1e-9));
            assertThat(back.x2()).isCloseTo(box.x2(), within(1e-9));
            assertThat(back.y2()).isCloseTo(box.y2(), within(1e-9));
        }
    }

    @Test
    void encodeOfDecodeIsTheIdentityForModerateOutputs() {
        SplittableRandom rng = new SplittableRandom(11);
        Shape anchor = new Shape(42.3, 55.4);
        for (int i = 0; i < 20_000; i++) {
            BoxDelta t = new BoxDelta(rng.nextDouble(-6, 6), rng.nextDouble(-6, 6), rng.nextDouble(-3, 3),
                    rng.nextDouble(-3, 3));
            int cx = rng.nextInt(13);
            int cy = rng.nextInt(13);
            BoxDelta back = BoxCodec.encode(BoxCodec.decode(t, cx, cy, 32, anchor), cx, cy, 32, anchor);
            assertThat(back.tx()).isCloseTo(t.tx(), within(1e-9));
            assertThat(back.ty()).isCloseTo(t.ty(), within(1e-9));
            assertThat(back.tw()).isCloseTo(t.tw(), within(1e-9));
            assertThat(back.th()).isCloseTo(t.th(), within(1e-9));
        }
    }

    @Test
    void centreOnACellBorderEncodesToInfiniteLogitsAndDecodesExactly() {
        // centre (64, 40) at stride 32 lies on the border x = 64 between cells 1 and 2
        Box box = Box.ofCenter(64, 40, 10, 10);
        Shape anchor = new Shape(10, 10);
        BoxDelta inCell2 = BoxCodec.encode(box, 2, 1, 32, anchor); // offset 0 -> logit = -inf
        BoxDelta inCell1 = BoxCodec.encode(box, 1, 1, 32, anchor); // offset 1 -> logit = +inf
        assertThat(inCell2.tx()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(inCell1.tx()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(BoxCodec.decode(inCell2, 2, 1, 32, anchor)).isEqualTo(box);
        assertThat(BoxCodec.decode(inCell1, 1, 1, 32, anchor)).isEqualTo(box);
    }

    @Test
    void encodeRejectsACentreOutsideTheCell() {
        // centre (80,112) is in cell (2,3) at stride 32, not in (1,3)
        assertThatThrownBy(() -> BoxCodec.encode(Box.ofCenter(80, 112, 128, 32), 1, 3, 32, new Shape(64, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("box centre (80.0, 112.0) px is not inside cell (1, 3) at stride 32.0,"
                        + " which spans x [32.0, 64.0] y [96.0, 128.0] px");
    }

    @Test
    void encodeRejectsAnEmptyBoxAndABadStride() {
        assertThatThrownBy(() -> BoxCodec.encode(new Box(1, 1, 1, 5), 0, 0, 32, new Shape(1, 1)))
                .hasMessage("cannot encode a box without finite positive size: Box[x1=1.0, y1=1.0, x2=1.0, y2=5.0]");
        assertThatThrownBy(() -> BoxCodec.encode(new Box(1, 1, 2, 5), 0, 0, 0, new Shape(1, 1)))
                .hasMessage("stride must be finite and positive, got 0.0");
    }

    @Test
    void cellOfIsTheFloorOfTheCentreInGridUnits() {
        // centre (80,112) / 32 = (2.5, 3.5) -> cell (2, 3)
        assertThat(BoxCodec.cellOf(Box.ofCenter(80, 112, 10, 10), 32, 13, 13)).isEqualTo(new GridCell(2, 3));
        // on the interior border x = 64 = 2 * 32: the half-open rule puts it in the right-hand cell 2;
        // y = 32 likewise in row 1
        assertThat(BoxCodec.cellOf(Box.ofCenter(64, 32, 10, 10), 32, 13, 13)).isEqualTo(new GridCell(2, 1));
    }

    @Test
    void cellOfClampsToTheGrid() {
        // 13x13 grid at stride 32 spans [0, 416]: a centre on the far edge 416 goes to the last cell 12
        assertThat(BoxCodec.cellOf(Box.ofCenter(416, 416, 2, 2), 32, 13, 13)).isEqualTo(new GridCell(12, 12));
        assertThat(BoxCodec.cellOf(Box.ofCenter(-3, 500, 2, 2), 32, 13, 13)).isEqualTo(new GridCell(0, 12));
        assertThatThrownBy(() -> BoxCodec.cellOf(new Box(Double.NaN, 0, 1, 1), 32, 13, 13))
                .hasMessage("box centre is not finite: Box[x1=NaN, y1=0.0, x2=1.0, y2=1.0]");
        assertThatThrownBy(() -> BoxCodec.cellOf(new Box(0, 0, 1, 1), 32, 0, 13))
                .hasMessage("grid size must be positive, got 0x13");
    }

    @Test
    void sigmoidAndLogitAreInverse() {
        // sigma(log 3) = 3/4 by hand; logit(3/4) = log 3
        assertThat(BoxCodec.sigmoid(Math.log(3))).isCloseTo(0.75, within(1e-15));
        assertThat(BoxCodec.logit(0.75)).isCloseTo(Math.log(3), within(1e-15));
        assertThat(BoxCodec.sigmoid(-800)).isEqualTo(0.0);
        assertThat(BoxCodec.sigmoid(800)).isEqualTo(1.0);
        // for t = 15, 1 - sigma(t) = 3e-7 carries a relative rounding error of about 1e-16 / 3e-7 < 1e-9
        for (double t = -15; t <= 15; t += 0.37) {
            assertThat(BoxCodec.logit(BoxCodec.sigmoid(t))).isCloseTo(t, within(1e-8));
        }
    }
}
