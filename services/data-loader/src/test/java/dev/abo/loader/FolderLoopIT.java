package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.TrainingSample;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code watch:DIR} end to end: files dropped into a folder become one batch on the topic. */
class FolderLoopIT {

    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.sharedForTests();

    @TempDir
    Path dir;

    private RgbImage image(String name, int shade) throws Exception {
        RgbImage im = RgbImage.blank(64, 64);
        for (int i = 0; i < im.rgb().length; i++) {
            im.rgb()[i] = (byte) (shade + i % 7);
        }
        Files.write(dir.resolve(name), ImageCodec.encode(im, ImageCodec.Format.PNG, 1f));
        return im;
    }

    @Test
    void twoDroppedFramesBecomeOnePartialBatchWithExactlyTheirBoxesCommittedAfterTheAck() throws Exception {
        Map<String, String> env = LoaderServiceIT.env("it-watch", "ABO_SOURCE", "watch:" + dir, "ABO_SOURCE_ID", "cam-1",
                "ABO_BATCH_SIZE", "16", "ABO_AUGMENT", "none", "ABO_IMAGE_ENCODING", "png",
                "ABO_WATCH_POLL_MS", "50", "ABO_WATCH_SETTLE_MS", "0", "ABO_WATCH_FLUSH_MS", "300");
        LoaderService loader = LoaderServiceIT.loader(env);
        AtomicReference<LoaderResult> result = new AtomicReference<>();
        Thread thread = new Thread(() -> result.set(loader.run()), "loader");
        thread.start();

        RgbImage a = image("a.png", 10);
        RgbImage b = image("b.png", 90);
        // the annotation file last (under a dot name, then renamed) so the frames are complete when it is read
        Files.writeString(dir.resolve(".frames.idl"), "\"a.png\": (2, 3, 20, 25), (10.5, 10, 30, 28);\n"
                + "\"b.png\": (0.5, 1.5, 63.5, 60.25).\n");
        Files.move(dir.resolve(".frames.idl"), dir.resolve("frames.idl"));
        Path state = dir.resolve(WatchedFolder.STATE_FILE);
        TopicRecords.await("both frames are committed", () -> {
            try {
                return Files.exists(state) && Files.readAllLines(state).contains("frame b.png");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        loader.stop();
        thread.join();

        assertThat(result.get().outcome()).isEqualTo(LoaderResult.Outcome.STOPPED);
        List<TopicRecords.Stored> records = TopicRecords.readAll(BROKER.bootstrapServers(), "it-watch.train");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("cam-1");
        DecodedBatch batch = TrainingBatchCodec.decode(TrainingBatch.parseFrom(records.get(0).value()));
        assertThat(batch.sequenceNumber()).isZero();
        assertThat(batch.classNames()).containsExactly("head");
        // no augmentation, frames at the input size, PNG: pixels and IDL boxes arrive unchanged (all exact floats)
        assertThat(batch.samples()).containsExactly(
                new TrainingSample(a, List.of(LabeledObject.of(new Box(2, 3, 20, 25), 0),
                        LabeledObject.of(new Box(10.5, 10, 30, 28), 0)), "a.png"),
                new TrainingSample(b, List.of(LabeledObject.of(new Box(0.5, 1.5, 63.5, 60.25), 0)), "b.png"));
        assertThat(Files.readAllLines(state)).contains("next-sequence 1", "frame a.png", "frame b.png");
    }

    @Test
    void theFirstFramesOfEveryRoundAreHeldOutInBatchesOfTheirOwnOnTheEvalTopic() throws Exception {
        // batches of 2; 2 held-out images = 1 held-out batch, then 1 training batch: frames 0-1 and 4-5 are held out
        Map<String, String> env = LoaderServiceIT.env("it-watch-held", "ABO_SOURCE", "watch:" + dir, "ABO_SOURCE_ID", "cam-2",
                "ABO_BATCH_SIZE", "2", "ABO_EVAL_IMAGES", "2", "ABO_EVAL_EVERY_BATCHES", "1", "ABO_AUGMENT", "none",
                "ABO_IMAGE_ENCODING", "png", "ABO_WATCH_POLL_MS", "50", "ABO_WATCH_SETTLE_MS", "0", "ABO_WATCH_FLUSH_MS", "300");
        LoaderService loader = LoaderServiceIT.loader(env);
        AtomicReference<LoaderResult> result = new AtomicReference<>();
        Thread thread = new Thread(() -> result.set(loader.run()), "loader");
        thread.start();

        List<RgbImage> images = new java.util.ArrayList<>();
        StringBuilder idl = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            images.add(image("f" + i + ".png", 30 * i));
            idl.append("\"f").append(i).append(".png\": (").append(i + 1).append(", 2, 30, 40)").append(i < 4 ? ";\n" : ".\n");
        }
        Files.writeString(dir.resolve(".frames.idl"), idl);
        Files.move(dir.resolve(".frames.idl"), dir.resolve("frames.idl"));
        Path state = dir.resolve(WatchedFolder.STATE_FILE);
        TopicRecords.await("all five frames are committed", () -> {
            try {
                return Files.exists(state) && Files.readAllLines(state).contains("frame f4.png");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        loader.stop();
        thread.join();

        assertThat(result.get().outcome()).isEqualTo(LoaderResult.Outcome.STOPPED);
        // frames as they are (64 px input, PNG, no augmentation): frame i with its one box
        List<TrainingSample> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            frames.add(new TrainingSample(images.get(i), List.of(LabeledObject.of(new Box(i + 1, 2, 30, 40), 0)), "f" + i + ".png"));
        }
        List<TopicRecords.Stored> eval = TopicRecords.readAll(BROKER.bootstrapServers(), "it-watch-held.eval");
        List<TopicRecords.Stored> train = TopicRecords.readAll(BROKER.bootstrapServers(), "it-watch-held.train");
        assertThat(eval).extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L, 1L);
        assertThat(train).extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L);
        assertThat(samples(eval.get(0))).containsExactlyElementsOf(frames.subList(0, 2));
        assertThat(samples(train.get(0))).containsExactlyElementsOf(frames.subList(2, 4));
        assertThat(samples(eval.get(1))).containsExactly(frames.get(4));      // partial: flushed after 300 ms
        assertThat(Files.readAllLines(state)).contains("next-sequence 1", "next-held-out-sequence 2", "frame f0.png",
                "frame f4.png");
    }

    private static List<TrainingSample> samples(TopicRecords.Stored record) throws Exception {
        return TrainingBatchCodec.decode(TrainingBatch.parseFrom(record.value())).samples();
    }
}
