package dev.abo.loader;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.platform.topic.TopicMismatchException;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.training.v1.TrainingBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-loader: writes one source's batches to {@code train.batches} (endless, or up to
 * {@code ABO_MAX_BATCHES}) and its held-out batches to {@code eval.batches}, keyed by the source id: a
 * dataset's held-out split once, before training; an endless source's (synthetic, camera, watched folder)
 * held-out batches taken out of its stream as it goes, round by round ({@link HeldOutRounds}), so they follow
 * the scene.
 *
 * <p><b>Start.</b> Ensures both topics (and their {@code .dlq}) exist as declared ({@link TopicAdmin}).
 * Then, per topic, finds the last sequence number of its source id on the log ({@link LogTail}) and
 * continues after it: a restart, graceful or not, neither repeats nor skips a batch (batch {@code n} is
 * always the same samples, {@link BatchPlan}). Replayable sources are read by {@link ReplayLoop}.
 *
 * <p><b>Backpressure</b>: see {@link Backpressure} (in-flight bound, lag cap against the trainer group's
 * committed offsets, optional rate) before every training batch. Held-out batches are bounded only in flight
 * (a dataset's split is finite; a stream holds out a fixed share of its batches).
 *
 * <p><b>Errors</b> ({@link ErrorKind}, counted in {@code abo.loader.errors}): a batch over
 * {@code ABO_MAX_RECORD_BYTES} stops the loader with exit code 2 and a message naming the sizes and the
 * settings to change, or is skipped ({@code ABO_ON_TOO_LARGE=skip}); a send the producer gave up on after
 * its own retries with a retriable error restarts the session (new producer, resume from the log) after a
 * back-off of 1 s doubling to 30 s; authentication, authorization, or any other error stops with exit code 1.
 *
 * <p><b>Stop.</b> {@link #stop()} (SIGTERM in {@link LoaderMain}) ends the loop after the current batch,
 * flushes and closes the producer: exit 0. Interrupting the thread in {@link #run()} closes the producer
 * without waiting, as a crash would.
 *
 * <p>{@code watch:DIR} sources are read by {@link FolderLoop}.
 */
public final class LoaderService {

    /** Deadline of admin calls and of the resume scan. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(LoaderService.class);

    private final LoaderConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final LoaderMetrics metrics;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** @param clock stamps {@code created_unix_ms} of every batch */
    public LoaderService(LoaderConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.metrics = new LoaderMetrics(registry, config.sourceId());
    }

    public LoaderMetrics metrics() {
        return metrics;
    }

    /** Asks {@link #run()} to finish: after the current batch, flushed. Safe from any thread. */
    public void stop() {
        stop.countDown();
    }

    /** The train topic as configured ({@code ABO_TOPIC}): the declaration of {@link Topics#TRAIN_BATCHES} under that name. */
    public static TopicSpec<String, TrainingBatch> trainTopic(LoaderConfig config) {
        return named(Topics.TRAIN_BATCHES, config.topic());
    }

    /** The held-out topic as configured ({@code ABO_EVAL_TOPIC}). */
    public static TopicSpec<String, TrainingBatch> evalTopic(LoaderConfig config) {
        return named(Topics.EVAL_BATCHES, config.evalTopic());
    }

    /** The partition the default partitioner gives {@code key} among {@code partitions}: where a source's batches go. */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitions;
    }

    /** Runs until done, stopped, aborted or failed; see the class comment. */
    public LoaderResult run() {
        TopicSpec<String, TrainingBatch> train = trainTopic(config);
        TopicSpec<String, TrainingBatch> eval = evalTopic(config);
        if (config.maxRecordBytes() > train.maxMessageBytes()) {
            return new LoaderResult(LoaderResult.Outcome.MISCONFIGURED, "ABO_MAX_RECORD_BYTES=" + config.maxRecordBytes()
                    + " exceeds the max.message.bytes of " + train.name() + " (" + train.maxMessageBytes() + ")");
        }
        ConfigSource kafka = config.kafkaSource();
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicAdmin.ensure(admin, List.of(train, train.dlq(), eval, eval.dlq()), ADMIN_TIMEOUT);
            Duration backoff = Duration.ofSeconds(1);
            while (true) {
                try {
                    return session(admin, kafka, train, eval);
                } catch (SendFailedException e) {
                    metrics.error(ErrorKind.TRANSIENT);
                    LOG.warn("{}; resuming from the log in {} ms", e.getMessage(), backoff.toMillis());
                    if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        return new LoaderResult(LoaderResult.Outcome.STOPPED, "stopped while recovering from: " + e.getMessage());
                    }
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (TopicMismatchException | ConfigException e) {
            return new LoaderResult(LoaderResult.Outcome.MISCONFIGURED, e.getMessage());
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            return new LoaderResult(LoaderResult.Outcome.ABORTED, "interrupted");
        } catch (RuntimeException e) {
            metrics.error(ErrorKind.FATAL);
            LOG.error("data-loader {} failed", config.sourceId(), e);
            return new LoaderResult(LoaderResult.Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * One producer's life. Returns the final result; throws a {@link SendFailedException} of kind
     * {@link ErrorKind#TRANSIENT} when the caller should start a new session.
     */
    private LoaderResult session(Admin admin, ConfigSource kafka, TopicSpec<String, TrainingBatch> train,
                                 TopicSpec<String, TrainingBatch> eval) throws InterruptedException {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producerProperties(kafka, train),
                new StringSerializer(), new ByteArraySerializer());
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        BatchSender sender = new BatchSender(producer, config.delivery().maxInFlight(), metrics);
        boolean graceful = false;
        try {
            LoaderResult result = sessionLoops(admin, kafka, producer, sender, train, eval);
            graceful = true;
            return result;
        } catch (SendFailedException e) {
            metrics.inFlight(0);
            if (e.kind() == ErrorKind.TRANSIENT) {
                throw e;
            }
            metrics.error(e.kind());
            LOG.error("data-loader {}: {}", config.sourceId(), e.getMessage());
            return new LoaderResult(e.kind() == ErrorKind.TOO_LARGE ? LoaderResult.Outcome.MISCONFIGURED
                    : LoaderResult.Outcome.FAILED, e.getMessage());
        } finally {
            if (graceful) {
                sender.close();
            } else {
                sender.abort();
            }
            producerMetrics.close();
        }
    }

    private LoaderResult sessionLoops(Admin admin, ConfigSource kafka, KafkaProducer<String, byte[]> producer,
                                      BatchSender sender, TopicSpec<String, TrainingBatch> train,
                                      TopicSpec<String, TrainingBatch> eval) throws InterruptedException {
        Backpressure backpressure = new Backpressure(new TrainerLag(admin, train.name(), train.partitions(),
                config.delivery().trainerGroup(), ADMIN_TIMEOUT), config.delivery(), sender, metrics, stop);
        Outbox trainOut = new Outbox(train.name(), partition(producer, train), config.sourceId(), sender,
                Optional.of(backpressure), metrics);
        try (KafkaConsumer<String, byte[]> tail = tailConsumer(kafka, train)) {
            Outbox evalOut = new Outbox(eval.name(), partition(producer, eval), config.sourceId(), sender,
                    Optional.empty(), metrics);
            if (config.source() instanceof SourceSpec.Watch w) {
                long trainFromLog = resumeAt(tail, trainOut);
                long heldOutFromLog = config.heldOutRounds().isPresent() ? resumeAt(tail, evalOut) : 0;
                return new FolderLoop(config, w.dir(), trainOut, evalOut, this::tooLarge, stop, clock)
                        .run(trainFromLog, heldOutFromLog);
            }
            return new ReplayLoop(config, trainOut, evalOut, out -> resumeAt(tail, out), this::tooLarge, metrics, stop,
                    clock).run();
        }
    }

    /** What the loops do with a batch over the record limit. */
    @FunctionalInterface
    interface TooLargeHandler {
        /** Counts it; a result when the loader must stop, empty when the batch is skipped. */
        Optional<LoaderResult> handle(BatchTooLargeException e);
    }

    /** Counts a batch over the limit; a result when the policy is to stop. */
    private Optional<LoaderResult> tooLarge(BatchTooLargeException e) {
        metrics.error(ErrorKind.TOO_LARGE);
        if (config.delivery().onTooLarge() == LoaderConfig.TooLargePolicy.STOP) {
            LOG.error("{}", e.getMessage());
            return Optional.of(new LoaderResult(LoaderResult.Outcome.MISCONFIGURED, e.getMessage()));
        }
        LOG.warn("skipped (ABO_ON_TOO_LARGE=skip): {}", e.getMessage());
        return Optional.empty();
    }

    /** Where the batches of this source go on {@code topic}; also proves the producer sees the topic. */
    private int partition(KafkaProducer<String, byte[]> producer, TopicSpec<?, ?> topic) {
        int n = producer.partitionsFor(topic.name()).size();
        return partitionFor(config.sourceId(), n);
    }

    /** The sequence number after the last one of this source on {@code out}'s partition; 0 when it never wrote. */
    private long resumeAt(KafkaConsumer<String, byte[]> tail, Outbox out) {
        TopicPartition tp = new TopicPartition(out.topic(), out.partition());
        LogTail.Scan scan = LogTail.scan(tail, tp, config.sourceId(), config.delivery().resumeScanRecords(), ADMIN_TIMEOUT);
        if (scan.lastSequence().isPresent()) {
            long next = scan.lastSequence().getAsLong() + 1;
            LOG.info("{}: last batch on {} is {}; resuming at {}", config.sourceId(), tp, next - 1, next);
            out.skipped(next);
            return next;
        }
        if (!scan.reachedLogStart()) {
            throw new ConfigException("ABO_RESUME_SCAN_RECORDS", Integer.toString(config.delivery().resumeScanRecords()),
                    "enough records to reach the last batch of '" + config.sourceId() + "' on " + tp + " (none in offsets "
                            + scan.firstOffset() + ".." + (scan.endOffset() - 1) + ", and older records exist)");
        }
        out.skipped(0);
        return 0;
    }

    private static KafkaConsumer<String, byte[]> tailConsumer(ConfigSource kafka, TopicSpec<?, ?> topic) {
        Map<String, Object> props = KafkaClients.consumerProperties(kafka, "unused", topic);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);   // assigned, never commits
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static <V> TopicSpec<String, V> named(TopicSpec<String, V> spec, String name) {
        return name.equals(spec.name()) ? spec : new TopicSpec<>(name, spec.keySerde(), spec.valueSerde(),
                spec.partitions(), spec.replicationFactor(), spec.configs());
    }
}
