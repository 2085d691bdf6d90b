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
}
