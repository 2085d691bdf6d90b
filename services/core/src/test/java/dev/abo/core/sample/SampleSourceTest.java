package dev.abo.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Stretch;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.synth.HeadsScenes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleSourceTest {

    /** Five 40x20 PNGs, image k has one box [k, 2, k+10, 12] of class 0. */
    private static Dataset fiveImages(Path dir) throws IOException {
        List<LabeledImage> images = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            RgbImage img = RgbImage.blank(40, 20);
            img.set(k, 0, 0, 10 * k + 1);
            Path f = dir.resolve("im" + k + ".png");
            Files.write(f, ImageCodec.encode(img, ImageCodec.Format.PNG, 1f));
            images.add(new LabeledImage("im" + k, f, 40, 20, List.of(LabeledObject.of(new Box(k, 2, k + 10, 12), 0))));
        }
        return new Dataset("five", List.of("thing"), images);
    }

    @Test
    void everyEpochVisitsEveryImageOnceInASeededOrder(@TempDir Path dir) throws IOException {
        DatasetSampleSource src = DatasetSampleSource.augmented(fiveImages(dir),
                new Augmenter(AugmentConfig.yolov2(32, 32)), 11);
        List<String> epoch0 = new ArrayList<>();
        List<String> epoch1 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            epoch0.add(src.imageOf(i).id());
            epoch1.add(src.imageOf(5 + i).id());
        }
        assertThat(new HashSet<>(epoch0)).containsExactlyInAnyOrder("im0", "im1", "im2", "im3", "im4");
        assertThat(new HashSet<>(epoch1)).isEqualTo(new HashSet<>(epoch0));
        // a different seed or epoch gives a different order (5! = 120 orders: fixed seeds checked)
        DatasetSampleSource other = DatasetSampleSource.augmented(fiveImages(dir),
                new Augmenter(AugmentConfig.yolov2(32, 32)), 12);
        List<String> otherEpoch0 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            otherEpoch0.add(other.imageOf(i).id());
        }
        assertThat(List.of(epoch1, otherEpoch0)).doesNotContain(epoch0);
    }

    @Test
    void samplesAreReplayableByIndex(@TempDir Path dir) throws IOException {
        Dataset d = fiveImages(dir);
        DatasetSampleSource a = DatasetSampleSource.augmented(d, new Augmenter(AugmentConfig.yolov2(32, 32)), 3);
        DatasetSampleSource b = DatasetSampleSource.augmented(d, new Augmenter(AugmentConfig.yolov2(32, 32)), 3);
        TrainingSample late = a.sample(7);
        for (int i = 0; i < 7; i++) {
            a.sample(i);
        }
        assertThat(b.sample(7)).isEqualTo(late);
        assertThat(late.image().width()).isEqualTo(32);
        assertThat(late.image().height()).isEqualTo(32);
    }

    @Test
    void fittedSamplesAreTheStretchedImagesInOrder(@TempDir Path dir) throws IOException {
        DatasetSampleSource src = DatasetSampleSource.fitted(fiveImages(dir), new Stretch(80, 40), 80, 40);
        // stretch 40x20 -> 80x40 doubles every coordinate: image 3's box [3,2,13,12] -> [6,4,26,24]
        TrainingSample s = src.sample(3);
        assertThat(s.origin()).isEqualTo("im3");
        assertThat(s.objects()).hasSize(1);
        Box b = s.objects().get(0).box();
        assertThat(new double[] {b.x1(), b.y1(), b.x2(), b.y2()}).containsExactly(6, 4, 26, 24);
        assertThat(src.sample(8).origin()).isEqualTo("im3");
    }

    @Test
    void aDecodedSizeThatDisagreesWithTheAnnotationIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.png");
        Files.write(f, ImageCodec.encode(RgbImage.blank(10, 10), ImageCodec.Format.PNG, 1f));
        Dataset d = new Dataset("d", List.of("x"), List.of(new LabeledImage("a", f, 20, 10, List.of())));
        DatasetSampleSource src = DatasetSampleSource.fitted(d, new Stretch(8, 8), 8, 8);
        assertThatThrownBy(() -> src.sample(0)).isInstanceOf(IOException.class)
                .hasMessage(f + ": decoded size 10x10 differs from the annotation's 20x10");
    }

    @Test
    void syntheticEvaluationScenesAreDisjointFromTraining() {
        HeadsScenes heads = new HeadsScenes(5);
        SyntheticSampleSource train = SyntheticSampleSource.augmented(heads, new Augmenter(AugmentConfig.yolov2(64, 64)), 1, 0);
        SyntheticSampleSource eval = SyntheticSampleSource.fitted(heads, new Stretch(64, 64), 1_000_000_000L, 64, 64);
        assertThat(train.sample(2).origin()).isEqualTo("synthetic:heads#2");
        assertThat(eval.sample(2).origin()).isEqualTo("synthetic:heads#1000000002");
        assertThat(eval.sample(2)).isEqualTo(eval.sample(2));
        assertThat(train.epochLength()).isEqualTo(-1);
    }

    @Test
    void heldOutSplitIsStableAndNearTheFraction() {
        List<LabeledImage> images = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            images.add(new LabeledImage("img" + i, null, 10, 10, List.of()));
        }
        Dataset d = new Dataset("d", List.of("x"), images);
        HeldOutSplit split = HeldOutSplit.of(d, 0.2, 9);
        assertThat(split.train().images().size() + split.heldOut().images().size()).isEqualTo(2000);
        // binomial(2000, 0.2): mean 400, sd ~17.9; 5 sd either side
        assertThat(split.heldOut().images().size()).isBetween(310, 490);
        // adding images and reversing the order moves no existing image across the split
        List<LabeledImage> more = new ArrayList<>(images);
        more.add(new LabeledImage("new", null, 10, 10, List.of()));
        java.util.Collections.reverse(more);
        Set<String> heldBefore = new HashSet<>();
        split.heldOut().images().forEach(im -> heldBefore.add(im.id()));
        Set<String> heldAfter = new HashSet<>();
        HeldOutSplit.of(new Dataset("d", List.of("x"), more), 0.2, 9).heldOut().images().forEach(im -> heldAfter.add(im.id()));
        heldAfter.remove("new");
        assertThat(heldAfter).isEqualTo(heldBefore);
        assertThatThrownBy(() -> HeldOutSplit.of(d, 1.0, 1)).hasMessage("held-out fraction must be in (0, 1), got 1.0");
    }
}
