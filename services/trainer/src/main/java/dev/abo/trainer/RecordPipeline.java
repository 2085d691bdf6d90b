package dev.abo.trainer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.InputEncoder;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.InvalidBatchException;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training stream in offset order, decoded ahead: records from {@code poll} are validated
 * ({@link TrainingBatchCodec#decode}) and turned into input tensors on one background thread while the
 * network trains on an earlier one, up to {@code depth} records ahead. A record whose bytes do not even
 * parse arrives as a {@link Poison} item in its place (the consumer is already moved past it).
 *
 * <p>Every consumer call happens on the caller's thread (KafkaConsumer is not thread-safe); only decoding
 * runs in the background. {@link #drop} forgets the items of revoked partitions.
 */
final class RecordPipeline implements AutoCloseable {

    /** One record of the stream, in order. */
    sealed interface Item permits Poison, Fetched {
        TopicPartition partition();

        long offset();
    }

    /** A record that could not be deserialized. */
    record Poison(TopicPartition partition, long offset, RecordDeserializationException error) implements Item {
    }

    /** A record and its decoding in progress. */
    record Fetched(ConsumerRecord<String, TrainingBatch> record, Future<Decoded> decoded) implements Item {
        @Override
        public TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        @Override
        public long offset() {
            return record.offset();
        }
    }

    /**
     * A record's decoding: the batch and its input tensor (square batches only), or why it is unusable: an
     * {@link InvalidBatchException}, or any other exception decoding this record threw (dead-lettered too,
     * so one bad record cannot stop the trainer in a crash loop).
     */
    record Decoded(DecodedBatch batch, INDArray input, Exception error) {
    }

    private final Consumer<String, TrainingBatch> consumer;
    private final int depth;
    private final DataType dataType;
    private final ExecutorService decoder;
    private final Deque<Item> items = new ArrayDeque<>();
    private long lag;

    RecordPipeline(Consumer<String, TrainingBatch> consumer, int depth, DataType dataType) {
        this.consumer = consumer;
        this.depth = depth;
        this.dataType = dataType;
        this.decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "abo-trainer-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The next record, polling for up to {@code timeout} when nothing is buffered; null if none arrived.
     * Tops the buffer up to {@code depth} with non-blocking polls first.
     */
    Item next(Duration timeout) {
        while (items.size() < depth) {
            if (!pollOnce(items.isEmpty() ? timeout : Duration.ZERO)) {
                break;
            }
        }
        return items.pollFirst();
    }

    /** Records buffered (fetched, not yet handed out). */
    int buffered() {
        return items.size();
    }

    /** Records behind the end of the assigned partitions, counting the buffered ones; as of the last poll. */
    long lag() {
        return lag + items.size();
    }

    /** Forgets the buffered records of {@code partitions} (revoked or lost); the consumer re-reads them if reassigned. */
    void drop(Collection<TopicPartition> partitions) {
        Iterator<Item> it = items.iterator();
        while (it.hasNext()) {
            Item item = it.next();
            if (partitions.contains(item.partition())) {
                if (item instanceof Fetched f) {
                    f.decoded().cancel(false);
                }
                it.remove();
            }
        }
    }

    /** @return whether anything (a record or a poison item) arrived */
    private boolean pollOnce(Duration timeout) {
        ConsumerRecords<String, TrainingBatch> records;
        try {
            records = consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            items.addLast(new Poison(e.topicPartition(), e.offset(), e));
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return true;
        }
        for (ConsumerRecord<String, TrainingBatch> r : records) {
            TrainingBatch value = r.value();
            items.addLast(new Fetched(r, decoder.submit(() -> decode(value))));
        }
        long l = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(tp);
            l += partitionLag.orElse(0);
        }
        lag = l;
        return !records.isEmpty();
    }

    private Decoded decode(TrainingBatch value) {
        try {
            DecodedBatch batch = TrainingBatchCodec.decode(value);
            INDArray input = null;
            if (batch.inputWidth() == batch.inputHeight()) {
                List<RgbImage> images = batch.samples().stream().map(TrainingSample::image).toList();
                input = InputEncoder.encode(images, batch.inputWidth(), dataType);
            }
            return new Decoded(batch, input, null);
        } catch (InvalidBatchException | RuntimeException e) {
            return new Decoded(null, null, e);
        }
    }

    /** The decoding of {@code f}, waiting for it. */
    static Decoded await(Fetched f) {
        try {
            return f.decoded().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding " + f.partition() + "@" + f.offset(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding " + f.partition() + "@" + f.offset() + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        decoder.shutdownNow();
    }
}
