package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.IdlReader;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.HeldOutSplit;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader against a real in-process broker: what lands on the topics, restarts, size errors. */
class LoaderServiceIT {

    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.sharedForTests();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    /** A small, fast loader on its own pair of topics: synthetic:mixed, 4 images of 64 px per batch. */
    static Map<String, String> env(String topics, String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", BROKER.bootstrapServers(),
                "ABO_SOURCE", "synthetic:mixed",
                "ABO_INPUT_SIZE", "64",
                "ABO_BATCH_SIZE", "4",
                "ABO_EVAL_IMAGES", "0",
                "ABO_TOPIC", topics + ".train",
                "ABO_EVAL_TOPIC", topics + ".eval",
                "ABO_TRAINER_GROUP", topics + ".trainer"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    static LoaderService loader(Map<String, String> env) {
        return new LoaderService(LoaderConfig.from(env), new SimpleMeterRegistry(), CLOCK);
    }

    /** The training record batch {@code seq} must be: what the assembler makes for it, on its own. */
    static byte[] expected(Map<String, String> env, long seq) throws Exception {
        LoaderConfig c = LoaderConfig.from(env);
        return new BatchAssembler(SampleStreams.open(c).train(), BatchPlan.endless(c.sourceId(), c.batchSize()),
                c.imageFormat(), c.maxRecordBytes(), CLOCK).assemble(seq).toByteArray();
    }

    /** A dataset of {@code n} 64x64 PNG frames with one box each, listed in an IDL file; returns the file. */
    static Path idlDataset(Path dir, int n) throws Exception {
        StringBuilder idl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            RgbImage im = RgbImage.blank(64, 64);
            for (int p = 0; p < im.rgb().length; p++) {
                im.rgb()[p] = (byte) (20 * i + p % 5);
            }
            Files.write(dir.resolve("f" + i + ".png"), ImageCodec.encode(im, ImageCodec.Format.PNG, 1f));
            idl.append('"').append("f").append(i).append(".png\": (").append(2 + i).append(", 3, 40, 50)")
                    .append(i == n - 1 ? ".\n" : ";\n");
        }
        Path file = dir.resolve("frames.idl");
        Files.writeString(file, idl);
        return file;
    }

    @Test
    void producesNBatchesAndADatasetsHeldOutSplitOnceEachTheAssemblersRecord(@TempDir Path dir) throws Exception {
        Path idl = idlDataset(dir, 12);
        Map<String, String> env = env("it-produce", "ABO_SOURCE", "dataset:idl:" + idl, "ABO_SOURCE_ID", "frames",
                "ABO_EVAL_FRACTION", "0.3", "ABO_MAX_BATCHES", "6");
        LoaderService loader = loader(env);

        LoaderResult result = loader.run();

        assertThat(result.outcome()).isEqualTo(LoaderResult.Outcome.COMPLETED);
        assertThat(result.message()).isEqualTo("batches 0..5 of 'frames' are on it-produce.train");
        List<TopicRecords.Stored> train = TopicRecords.readAll(BROKER.bootstrapServers(), "it-produce.train");
        int partition = LoaderService.partitionFor("frames", 3);
        assertThat(train).extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(train).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("frames");
            assertThat(r.partition()).isEqualTo(partition);
        });
        for (TopicRecords.Stored r : train) {
            byte[] expected = expected(env, r.sequenceNumber());
            assertThat(r.value()).isEqualTo(expected);
            assertThat(TrainingBatchCodec.decode(TrainingBatch.parseFrom(r.value())))
                    .isEqualTo(TrainingBatchCodec.decode(TrainingBatch.parseFrom(expected)));
        }
        // the held-out split (core HeldOutSplit, by image id): every held-out frame once, fitted, in dataset order, in
        // batches of 4 and a last one with the remainder; none of them is trained on
        Dataset heldOut = HeldOutSplit.of(new IdlReader(ReadOptions.strict()).read(idl).dataset(), 0.3, 1).heldOut();
        assertThat(heldOut.images()).isNotEmpty();
        List<TopicRecords.Stored> eval = TopicRecords.readAll(BROKER.bootstrapServers(), "it-produce.eval");
        assertThat(eval).extracting(TopicRecords.Stored::sequenceNumber)
                .containsExactlyElementsOf(LongStream.range(0, (heldOut.images().size() + 3) / 4).boxed().toList());
        List<String> evalFrames = new ArrayList<>();
        for (TopicRecords.Stored r : eval) {
            TrainingBatchCodec.decode(TrainingBatch.parseFrom(r.value())).samples().forEach(s -> evalFrames.add(s.origin()));
        }
        assertThat(evalFrames).containsExactlyElementsOf(heldOut.images().stream().map(im -> im.id()).toList());
        for (TopicRecords.Stored r : train) {
            TrainingBatchCodec.decode(TrainingBatch.parseFrom(r.value())).samples()
                    .forEach(s -> assertThat(evalFrames).doesNotContain(s.origin()));
        }
        assertThat(loader.metrics().batches("it-produce.train")).isEqualTo(6);
        assertThat(loader.metrics().batches("it-produce.eval")).isEqualTo(eval.size());

        // started again with the same settings: everything is there already, nothing is sent twice
        LoaderService again = loader(env);
        assertThat(again.run().outcome()).isEqualTo(LoaderResult.Outcome.COMPLETED);
        assertThat(again.metrics().batches("it-produce.train")).isZero();
        assertThat(again.metrics().batches("it-produce.eval")).isZero();
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-produce.train")).hasSize(6);
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-produce.eval")).hasSize(eval.size());
    }

    @Test
    void twoReplicasWithTheirOwnSourceIdsWriteSideBySide() throws Exception {
        List<LoaderService> loaders = List.of(
                loader(env("it-replicas", "ABO_SOURCE_ID", "mixed/a", "ABO_MAX_BATCHES", "5")),
                loader(env("it-replicas", "ABO_SOURCE_ID", "mixed/b", "ABO_SEED", "2", "ABO_MAX_BATCHES", "5")));
        List<AtomicReference<LoaderResult>> results = List.of(new AtomicReference<>(), new AtomicReference<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int k = i;
            Thread t = new Thread(() -> results.get(k).set(loaders.get(k).run()), "loader-" + k);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(results).allSatisfy(r -> assertThat(r.get().outcome()).isEqualTo(LoaderResult.Outcome.COMPLETED));
        List<TopicRecords.Stored> all = TopicRecords.readAll(BROKER.bootstrapServers(), "it-replicas.train");
        assertThat(all).hasSize(10);
        for (String id : List.of("mixed/a", "mixed/b")) {
            // in offset order on the source's one partition: 0..4, no duplicate, no gap
            assertThat(all.stream().filter(r -> r.key().equals(id)))
                    .allSatisfy(r -> assertThat(r.partition()).isEqualTo(LoaderService.partitionFor(id, 3)))
                    .extracting(TopicRecords.Stored::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aLoaderKilledMidStreamResumesWithoutDuplicateOrGap() throws Exception {
        // paced so that the kill lands mid-stream; 4 batches may be in flight when it does
        Map<String, String> first = env("it-restart", "ABO_MAX_BATCHES_PER_S", "20", "ABO_MAX_IN_FLIGHT", "4");
        LoaderService loader = loader(first);
        AtomicReference<LoaderResult> result = new AtomicReference<>();
        Thread thread = new Thread(() -> result.set(loader.run()), "loader");
        thread.start();
        TopicRecords.await("4 batches are acknowledged", () -> loader.metrics().batches("it-restart.train") >= 4);
        thread.interrupt();   // no stop(), no flush: the producer is closed without waiting
        thread.join();
        assertThat(result.get().outcome()).isEqualTo(LoaderResult.Outcome.ABORTED);
        int beforeRestart = TopicRecords.readAll(BROKER.bootstrapServers(), "it-restart.train").size();
        assertThat(beforeRestart).isGreaterThanOrEqualTo(4);

        long upTo = beforeRestart + 5;
        LoaderService restarted = loader(env("it-restart", "ABO_MAX_BATCHES", Long.toString(upTo)));
        assertThat(restarted.run().outcome()).isEqualTo(LoaderResult.Outcome.COMPLETED);

        assertThat(restarted.metrics().batches("it-restart.train")).isEqualTo(5);
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-restart.train"))
                .extracting(TopicRecords.Stored::sequenceNumber)
                .containsExactlyElementsOf(LongStream.range(0, upTo).boxed().toList());
    }

    @Test
    void aBatchOverTheRecordLimitStopsWithExitCode2NamingSizesAndSettings() throws Exception {
        Map<String, String> env = env("it-too-large", "ABO_MAX_RECORD_BYTES", "1024");
        // the record's size, derived independently: value + key (24 ASCII bytes) + 100 bytes of record overhead
        long bytes = TrainingBatch.parseFrom(expected(env("it-too-large"), 0)).getSerializedSize() + 24 + 100;
        LoaderService loader = loader(env);

        LoaderResult result = loader.run();

        assertThat(result.outcome()).isEqualTo(LoaderResult.Outcome.MISCONFIGURED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.message()).isEqualTo("batch 0 of 'synthetic:mixed/loader-0' makes a " + bytes + "-byte record "
                + "(4 images 64x64, jpeg(q=90)), over the topic's limit of 1024 bytes by " + (bytes - 1024) + "; use a "
                + "smaller batch (ABO_BATCH_SIZE, now 4) or a lower JPEG quality (ABO_JPEG_QUALITY, now 90), or raise "
                + "the topic's max.message.bytes and ABO_MAX_RECORD_BYTES");
        assertThat(loader.metrics().errors(ErrorKind.TOO_LARGE)).isEqualTo(1);
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-too-large.train")).isEmpty();
    }

    @Test
    void withSkipEveryBatchOverTheLimitIsCountedAndLeftOutTheRestIsSent() throws Exception {
        // sizes of batches 0..7 measured with the assembler; the limit lets the smaller ones through
        List<Long> sizes = new ArrayList<>();
        for (long seq = 0; seq < 8; seq++) {
            sizes.add(BatchEncoder.recordBytes(TrainingBatch.parseFrom(expected(env("it-skip"), seq))));
        }
        long limit = sizes.stream().sorted().toList().get(3);
        List<Long> fit = LongStream.range(0, 8).filter(s -> sizes.get((int) s) <= limit).boxed().toList();
        assertThat(fit).hasSizeBetween(4, 7);
        LoaderService loader = loader(env("it-skip", "ABO_MAX_RECORD_BYTES", Long.toString(limit),
                "ABO_ON_TOO_LARGE", "skip", "ABO_MAX_BATCHES", "8"));

        LoaderResult result = loader.run();

        assertThat(result.outcome()).isEqualTo(LoaderResult.Outcome.COMPLETED);
        assertThat(TopicRecords.readAll(BROKER.bootstrapServers(), "it-skip.train"))
                .extracting(TopicRecords.Stored::sequenceNumber).containsExactlyElementsOf(fit);
        assertThat(loader.metrics().errors(ErrorKind.TOO_LARGE)).isEqualTo(8 - fit.size());
    }
}
