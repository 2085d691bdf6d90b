package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.augment.Scaling;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.TrainingSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedFolderTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    /** Two seconds after the last file below: everything has settled. */
    private static final Clock LATER = Clock.fixed(T0.plusSeconds(4), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private void image(String name, int shade) throws IOException {
        RgbImage im = RgbImage.blank(40, 30);
        java.util.Arrays.fill(im.rgb(), (byte) shade);
        Files.write(dir.resolve(name), ImageCodec.encode(im, ImageCodec.Format.PNG, 1f));
    }

    private Path write(String name, String text, Instant modified) throws IOException {
        Path p = Files.writeString(dir.resolve(name), text);
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }

    private static String coco(String file, String category, String bbox) {
        return "{\"images\": [{\"id\": 1, \"file_name\": \"" + file + "\", \"width\": 40, \"height\": 30}],"
                + " \"annotations\": [{\"id\": 9, \"image_id\": 1, \"category_id\": 7, \"bbox\": " + bbox + "}],"
                + " \"categories\": [{\"id\": 7, \"name\": \"" + category + "\"}]}";
    }

    /** An IDL with two frames (older) and a COCO file with one (newer); name order is the reverse. */
    private void dropThreeFrames() throws IOException {
        image("a.png", 10);
        image("b.png", 20);
        image("c.png", 30);
        write("z.idl", "\"a.png\": (2, 3, 20, 25), (10, 10, 30, 28);\n\"b.png\": (0.5, 1.5, 39.5, 29.5).\n", T0);
        write("c.json", coco("c.png", "head", "[5, 6, 10, 12]"), T0.plusSeconds(1));
    }

    private WatchedFolder open(Clock clock) throws IOException {
        return new WatchedFolder(dir, List.of("head"), Duration.ofSeconds(2), clock);
    }

    @Test
    void threeDroppedFramesBecomeThreeSamplesInArrivalOrderWithExactBoxes() throws Exception {
        dropThreeFrames();
        List<WatchedFrame> frames = open(LATER).poll();

        assertThat(frames).extracting(WatchedFrame::file).containsExactly("a.png", "b.png", "c.png");
        assertThat(frames).extracting(WatchedFrame::frameNumber).containsExactly(0L, 1L, 2L);
        assertThat(frames.get(0).objects()).containsExactly(LabeledObject.of(new Box(2, 3, 20, 25), 0),
                LabeledObject.of(new Box(10, 10, 30, 28), 0));
        assertThat(frames.get(1).objects()).containsExactly(LabeledObject.of(new Box(0.5, 1.5, 39.5, 29.5), 0));
        // COCO bbox [x, y, w, h] = [5, 6, 10, 12] -> corners (5, 6, 15, 18)
        assertThat(frames.get(2).objects()).containsExactly(LabeledObject.of(new Box(5, 6, 15, 18), 0));
        assertThat(frames.get(2).image().get(0, 0, 0)).isEqualTo(30);

        // an augmentation that is the identity at the frame size (no jitter, scaling, flip or colour change)
        Augmenter identity = new Augmenter(new AugmentConfig(40, 30, 0, Scaling.NONE, 0, 0, 1, 1, 0.2, 1, 0x7F7F7F));
        for (WatchedFrame f : frames) {
            TrainingSample s = f.sample(identity, 1);
            assertThat(s.objects()).isEqualTo(f.objects());
            assertThat(s.image()).isEqualTo(f.image());
            assertThat(s.origin()).isEqualTo(f.file());
        }
        // the YOLOv2 augmentation is seeded by (seed, frame number): the same frame gives the same sample
        Augmenter yolo = new Augmenter(AugmentConfig.yolov2(32, 32));
        assertThat(frames.get(1).sample(yolo, 7)).isEqualTo(frames.get(1).sample(yolo, 7));
    }

    @Test
    void filesStillBeingWrittenWaitUntilTheySettle() throws Exception {
        dropThreeFrames();
        // at T0 + 1.5 s nothing is 2 s old: nothing has settled
        assertThat(open(Clock.fixed(T0.plusMillis(1500), ZoneOffset.UTC)).poll()).isEmpty();
        // at T0 + 2.5 s z.idl has settled, c.json (T0 + 1 s) has not
        WatchedFolder folder = open(Clock.fixed(T0.plusMillis(2500), ZoneOffset.UTC));
        assertThat(folder.poll()).extracting(WatchedFrame::file).containsExactly("a.png", "b.png");
    }

    @Test
    void aMalformedIdlIsMovedToRejectedWithTheExactReason() throws Exception {
        image("a.png", 10);
        Path bad = write("bad.idl", "\"a.png\": (1, 2, 3);\n", T0);
        WatchedFolder folder = open(LATER);

        assertThat(folder.poll()).isEmpty();
        assertThat(bad).doesNotExist();
        assertThat(dir.resolve("rejected/bad.idl")).hasContent("\"a.png\": (1, 2, 3);");
        // IdlReader's message: the fourth number is missing, column 18 is the ')'
        assertThat(dir.resolve("rejected/bad.idl.reason.txt"))
                .hasContent(bad + ": line 1, column 18: expected ',', found ')'");
        assertThat(dir.resolve("a.png")).exists();
    }

    @Test
    void unknownClassesAndMissingImagesAreRejectedToo() throws Exception {
        image("c.png", 30);
        write("dogs.json", coco("c.png", "dog", "[5, 6, 10, 12]"), T0);
        write("ghost.json", coco("ghost.png", "head", "[5, 6, 10, 12]"), T0.plusSeconds(1));
        assertThat(open(LATER).poll()).isEmpty();
        assertThat(dir.resolve("rejected/dogs.json.reason.txt"))
                .hasContent("image 1, object 1: class 'dog' is not one of the configured classes (ABO_CLASS_NAMES): head");
        assertThat(dir.resolve("rejected/ghost.json.reason.txt")).hasContent("image file ghost.png not found");
    }

    @Test
    void aRestartDoesNotResendCommittedFramesAndResumesTheSequence() throws Exception {
        dropThreeFrames();
        WatchedFolder first = open(LATER);
        List<WatchedFrame> frames = first.poll();
        first.commit(frames.subList(0, 2), 1, 0); // training batch 0 held a.png and b.png; c.png was not sent yet
        assertThat(first.poll()).isEmpty();     // in flight: not returned twice

        WatchedFolder restarted = open(LATER);
        assertThat(restarted.nextSequence()).isEqualTo(1);
        assertThat(restarted.committedFrames()).isEqualTo(2);
        List<WatchedFrame> again = restarted.poll();
        assertThat(again).extracting(WatchedFrame::file).containsExactly("c.png");
        assertThat(again.get(0).frameNumber()).isEqualTo(2);
        restarted.commit(again, 1, 1);   // held-out batch 0 held c.png

        WatchedFolder third = open(LATER);
        assertThat(third.poll()).isEmpty();
        assertThat(third.nextSequence()).isEqualTo(1);
        assertThat(third.nextHeldOutSequence()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve(WatchedFolder.STATE_FILE))).containsExactly(
                "# abo data-loader: frames of this folder already sent, in arrival order. Delete to resend all.",
                "next-sequence 1",
                "next-held-out-sequence 1",
                "frame a.png",
                "frame b.png",
                "frame c.png",
                "done " + T0.toEpochMilli() + " " + Files.size(dir.resolve("z.idl")) + " z.idl",
                "done " + T0.plusSeconds(1).toEpochMilli() + " " + Files.size(dir.resolve("c.json")) + " c.json");
    }

    @Test
    void aStateFileWrittenBeforeHeldOutRoundsStartsTheHeldOutSequenceAtZero() throws Exception {
        dropThreeFrames();
        Files.writeString(dir.resolve(WatchedFolder.STATE_FILE), "next-sequence 7\nframe a.png\n");
        WatchedFolder folder = open(LATER);
        assertThat(folder.nextSequence()).isEqualTo(7);
        assertThat(folder.nextHeldOutSequence()).isZero();
        assertThat(folder.poll()).extracting(WatchedFrame::file).containsExactly("b.png", "c.png");
    }

    @Test
    void aNewAnnotationUnderAUsedNameIsReadButSentImagesAreNot() throws Exception {
        dropThreeFrames();
        WatchedFolder folder = open(LATER);
        folder.commit(folder.poll(), 1, 0);
        image("d.png", 40);
        write("z.idl", "\"a.png\": (1, 1, 5, 5);\n\"d.png\": (1, 1, 9, 9);\n", T0.plusSeconds(2));
        List<WatchedFrame> next = open(Clock.fixed(T0.plusSeconds(10), ZoneOffset.UTC)).poll();
        assertThat(next).extracting(WatchedFrame::file).containsExactly("d.png");
        assertThat(next.get(0).frameNumber()).isEqualTo(3);
    }
}
