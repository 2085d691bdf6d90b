package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abo.core.augment.Scaling;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.sample.TrainingSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training crops' default scaling of {@code abo train}: fit for an idl: still camera, random for photos. */
class TrainingDataTest {
    private static final int INPUT = 32;
    private static final int FRAMES = 6;
    /** A 20 px head in a 100 px frame, stretched to 32 px: 20 * 32 / 100. */
    private static final double STRETCHED_SIDE = 6.4;

    @TempDir
    Path dir;

    @Test
    void anIdlStillCameraIsTrainedWithoutRandomScaling() throws IOException {
        writeFrames();
        // the head (40..60 of 100) stays inside the frame under fit's shift of at most 0.2 * 100 px, so every
        // training crop shows it exactly at its held-out size (paper Sec. 4.2.3: Brainwash, no random scaling)
        Path idl = Files.writeString(dir.resolve("heads.idl"),
                "\"f0.png\": (40, 40, 60, 60);\n\"f1.png\": (40, 40, 60, 60);\n\"f2.png\": (40, 40, 60, 60).\n");

        TrainingData data = TrainingData.prepare("idl:" + idl, INPUT, 0.34, 5);

        assertThat(data.scaling()).isEqualTo(Scaling.FIT);
        for (LabeledObject head : boxes(data, 12)) {
            assertThat(head.box().width()).isCloseTo(STRETCHED_SIDE, within(1e-9));
            assertThat(head.box().height()).isCloseTo(STRETCHED_SIDE, within(1e-9));
        }
    }

    @Test
    void photosOfTheSameFramesAreScaledAtRandom() throws IOException {
        writeFrames();
        StringBuilder images = new StringBuilder();
        StringBuilder annotations = new StringBuilder();
        for (int i = 0; i < FRAMES; i++) {
            images.append(i == 0 ? "" : ",").append("{\"id\":").append(i + 1).append(",\"file_name\":\"f").append(i)
                    .append(".png\",\"width\":100,\"height\":100}");
            annotations.append(i == 0 ? "" : ",").append("{\"id\":").append(i + 1).append(",\"image_id\":").append(i + 1)
                    .append(",\"category_id\":1,\"bbox\":[40,40,20,20],\"area\":400,\"iscrowd\":0}");
        }
        Path coco = Files.writeString(dir.resolve("heads.json"), "{\"images\":[" + images + "],\"annotations\":["
                + annotations + "],\"categories\":[{\"id\":1,\"name\":\"head\"}]}");

        TrainingData data = TrainingData.prepare("coco:" + coco, INPUT, 0.5, 5);

        assertThat(data.scaling()).isEqualTo(Scaling.RANDOM);
        // YOLOv2's window sides move by up to 0.2 of the frame, so the head's stretched size varies
        assertThat(boxes(data, 12).stream().map(o -> Math.round(o.box().width() * 1000)).distinct().count())
                .isGreaterThan(1);
    }

    private void writeFrames() throws IOException {
        for (int i = 0; i < FRAMES; i++) {
            ImageIO.write(new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("f" + i + ".png").toFile());
        }
    }

    private static List<LabeledObject> boxes(TrainingData data, int samples) throws IOException {
        List<LabeledObject> all = new ArrayList<>();
        for (long i = 0; i < samples; i++) {
            TrainingSample s = data.train().sample(i);
            all.addAll(s.objects());
        }
        assertThat(all).hasSize(samples);
        return all;
    }
}
