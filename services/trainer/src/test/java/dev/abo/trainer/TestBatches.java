package dev.abo.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import dev.abo.loader.BatchAssembler;
import dev.abo.loader.BatchPlan;
import dev.abo.loader.LoaderConfig;
import dev.abo.loader.SampleStreams;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Training batches made the way the data-loader makes them (its {@link BatchAssembler} over a synthetic
 * stream), and a raw producer so that tests can also write bytes no loader would.
 */
final class TestBatches implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    TestBatches(String bootstrap) {
        ConfigSource c = ConfigSource.of(Map.of(KafkaClients.BOOTSTRAP_KEY, bootstrap));
        this.producer = new KafkaProducer<>(KafkaClients.producerProperties(c, Topics.TRAIN_BATCHES),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The batches of one synthetic source at {@code size} px, {@code batch} images each. */
    static BatchAssembler assembler(String sourceId, int size, int batch, long seed) {
        return assembler("synthetic:mixed", sourceId, size, batch, seed);
    }

    /** The batches of the loader source {@code source} (e.g. {@code synthetic:heads}) at {@code size} px. */
    static BatchAssembler assembler(String source, String sourceId, int size, int batch, long seed) {
        try {
            LoaderConfig lc = LoaderConfig.from(Map.of("ABO_SOURCE", source, "ABO_SOURCE_ID", sourceId,
                    "ABO_INPUT_SIZE", String.valueOf(size), "ABO_BATCH_SIZE", String.valueOf(batch),
                    "ABO_SEED", String.valueOf(seed)));
            SampleStreams streams = SampleStreams.open(lc);
            return new BatchAssembler(streams.train(), BatchPlan.endless(sourceId, batch), ImageFormat.png(),
                    Topics.MAX_BATCH_BYTES, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TrainingBatch batch(BatchAssembler a, long seq) {
        try {
            return a.assemble(seq);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one record keyed by {@code key} and waits for the acknowledgement. */
    RecordMetadata send(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    RecordMetadata send(String topic, TrainingBatch batch) {
        return send(topic, batch.getSourceId(), batch.toByteArray());
    }

    /** Batches {@code 0..count-1} of each assembler, interleaved source by source. */
    void sendAll(String topic, List<BatchAssembler> sources, int count) {
        for (int seq = 0; seq < count; seq++) {
            for (BatchAssembler a : sources) {
                send(topic, batch(a, seq));
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
