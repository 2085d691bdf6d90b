package dev.abo.trainer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Shape;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.EvalRecord;
import dev.abo.detector.train.TrainingConfig;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.InvalidBatchException;
import dev.abo.platform.kafka.DeadLetters;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.trainer.publish.SnapshotPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online trainer: reads {@code train.batches} in a consumer group, trains the detector one step per
 * valid record, evaluates on {@code eval.batches}, and checkpoints.
 *
 * <p><b>Exactly once into the durable model.</b> The loop keeps, per partition, the next offset to consume:
 * a record moves it when it has been trained on or dead-lettered. Every {@code ABO_CHECKPOINT_EVERY} steps the
 * network (with Adam state and anchors), the step, these offsets and the {@link TrainedLedger} are written as
 * one atomic file ({@link TrainerCheckpoints}); only then are exactly these offsets committed to the group
 * ({@code commitSync}). On start the checkpoint is loaded and every assigned partition is SOUGHT to its
 * checkpointed offset, whatever the group has committed (a difference is logged), so a crash replays the
 * batches trained since the last checkpoint, whose effect was lost with the process, and skips none. A
 * partition absent from the checkpoint is read from its beginning; without a checkpoint (a new model) the
 * group's committed offsets apply, else the earliest.
 *
 * <p><b>Poison.</b> Records that do not parse, that {@code TrainingBatchCodec.decode} rejects, or that do not
 * fit the model (input size, classes not among the model's) go to {@code <topic>.dlq} with the reason
 * (acknowledged before the loop moves on) and are counted; training continues. A new model takes its input size
 * and classes from the first valid batch unless {@code ABO_INPUT_SIZE} / {@code ABO_CLASS_NAMES} fix them. A
 * batch whose classes are a subset of the model's (another source's list) is trained with its class ids
 * renumbered by name ({@link ModelShape#toModelClasses}). Dead-lettering is idempotent per record across a
 * crash: records the dead-letter topic already holds (read on start, {@link DeadLetterLog}) are not written again;
 * the same holds for held-out records re-read after a restart and {@code <eval topic>.dlq}.
 *
 * <p><b>Failures.</b> An exception from the loop (or a listener) ends {@link #run} without a checkpoint and
 * without a commit: the state may be half-updated, and the last durable checkpoint is the one to resume from.
 * A failed commit after a durable checkpoint is logged and counted, not fatal (the checkpoint decides where a
 * restart resumes). {@link #stop} is graceful: the current step finishes, then a checkpoint, a commit, and
 * the clients close.
 */
public final class TrainerService {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    private static final Duration EVAL_READ_BUDGET = Duration.ofSeconds(10);
    private static final Duration DEAD_LETTER_READ_BUDGET = Duration.ofMinutes(2);
    private static final String KIND_UNDECODABLE = "UNDECODABLE";
    private static final String KIND_INCOMPATIBLE = "INCOMPATIBLE";
    private static final String KIND_ERROR = "ERROR";

    private final TrainerConfig config;
    private final MeterRegistry registry;
    private final TrainerListener listener;
    private final TrainerMetrics metrics;
    private final TrainerCheckpoints checkpoints;
    private final TopicSpec<String, TrainingBatch> trainTopic;
    private final TopicSpec<String, TrainingBatch> evalTopic;
    private final SnapshotPublisher publisher;          // null: publishing is off

    private volatile boolean stopRequested;
    private volatile boolean modelReady;
    private volatile long currentStep;

    // state of the model lineage, touched by the training thread only
    private ComputationGraph net;
    private DetectorConfig detector;
    private ModelShape shape;
    private TrainingStep trainingStep;
    private boolean restored;
    private long step;
    private long deadLettered;
    private List<TrainerState.PartitionOffset> deadLetterScanFrom = List.of();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private TrainedLedger ledger = new TrainedLedger();
    private boolean dirty;

    public TrainerService(TrainerConfig config, MeterRegistry registry, TrainerListener listener) {
        this.config = config;
        this.registry = registry;
        this.listener = listener;
        this.metrics = new TrainerMetrics(registry);
        this.checkpoints = new TrainerCheckpoints(config.checkpointDir());
        this.trainTopic = config.trainSpec();
        this.evalTopic = config.evalSpec();
        this.publisher = config.publish().enabled() ? new SnapshotPublisher(config.publish(), config.checkpointDir(), registry) : null;
    }

    /** The registry publisher, when {@code ABO_REGISTRY_URL} is set. */
    public Optional<SnapshotPublisher> publisher() {
        return Optional.ofNullable(publisher);
    }

    /** True once a model exists (restored or built from the first valid batch): what {@code /health} reports. */
    public boolean modelReady() {
        return modelReady;
    }

    /** The global step of the model (steps done). */
    public long step() {
        return currentStep;
    }

    /** Asks {@link #run} to finish the current step, checkpoint, commit and return. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Runs the loop on the calling thread until {@link #stop}.
     *
     * @throws IOException when a checkpoint cannot be read or written
     */
    public void run() throws IOException {
        try {
            runLoop();
        } finally {
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    private void runLoop() throws IOException {
        try (Admin admin = KafkaClients.admin(config.source())) {
            TopicAdmin.ensure(admin, List.of(trainTopic, trainTopic.dlq(), evalTopic, evalTopic.dlq()));
        }
        restore();
        DeadLetterLog dlqLog;
        DeadLetterLog heldOutLetters;
        try (KafkaConsumer<byte[], byte[]> scan = KafkaClients.consumer(config.source(), config.groupId() + "-dlq-scan",
                trainTopic.dlq())) {
            dlqLog = DeadLetterLog.read(scan, trainTopic.dlq().name(), trainTopic.name(), config.groupId(), deadLetterScanFrom,
                    DEAD_LETTER_READ_BUDGET);
            // the held-out consumer re-reads the last ABO_EVAL_IMAGES records after a restart, and no checkpoint says
            // where their letters begin: its dead-letter topic is read from the beginning (poison there is rare)
            heldOutLetters = DeadLetterLog.read(scan, evalTopic.dlq().name(), evalTopic.name(), config.groupId(), List.of(),
                    DEAD_LETTER_READ_BUDGET);
        }
        try (KafkaConsumer<String, TrainingBatch> consumer = new KafkaConsumer<>(config.trainConsumerProperties(),
                trainTopic.keySerde().deserializer(), trainTopic.valueSerde().deserializer());
             DeadLetters deadLetters = DeadLetters.create(config.source(), registry, config.groupId());
             RecordPipeline pipeline = new RecordPipeline(consumer, config.prefetchRecords(),
                     DetectorGraph.dataType(config.detectorConfig(stride(), 1)));
             HeldOutSet heldOut = new HeldOutSet(KafkaClients.consumer(config.source(), config.groupId() + "-heldout", evalTopic),
                     evalTopic, config.evalImages(), new HeldOutRejects(deadLetters, heldOutLetters))) {
            consumer.subscribe(List.of(trainTopic.name()), new Rebalance(consumer, pipeline));
            Loop loop = new Loop(consumer, pipeline, deadLetters, dlqLog, heldOut);
            loop.run();
            if (net != null && dirty) {
                loop.checkpointAndCommit();
            }
            LOG.info("trainer stopped at step {}", step);
        }
    }

    private void restore() throws IOException {
        Optional<TrainerCheckpoints.Restored> r = checkpoints.read();
        if (r.isEmpty()) {
            LOG.info("no checkpoint in {}: a new model starts with the first valid batch", config.checkpointDir());
            return;
        }
        TrainerState s = r.get().state();
        ModelShape saved = new ModelShape(s.inputSize(), s.classNames());
        if (config.inputSize().isPresent() && config.inputSize().getAsInt() != saved.inputSize()) {
            throw new IllegalStateException("ABO_INPUT_SIZE is " + config.inputSize().getAsInt() + " but the checkpoint "
                    + checkpoints.file() + " holds a " + saved.inputSize() + " px model");
        }
        if (config.classNames().isPresent() && !config.classNames().get().equals(saved.classNames())) {
            throw new IllegalStateException("ABO_CLASS_NAMES is " + config.classNames().get() + " but the checkpoint "
                    + checkpoints.file() + " has classes " + saved.classNames());
        }
        for (TrainerState.PartitionOffset p : s.offsets()) {
            positions.put(new TopicPartition(p.topic(), p.partition()), p.offset());
        }
        ledger = s.ledger();
        deadLettered = s.deadLettered();
        deadLetterScanFrom = s.deadLetterScanFrom();
        restored = true;
        useModel(r.get().net(), r.get().config(), saved, s.step());
        LOG.info("restored step {} ({} px, classes {}) from {}; offsets {}", s.step(), saved.inputSize(),
                saved.classNames(), checkpoints.file(), s.offsets());
    }

    private void useModel(ComputationGraph network, DetectorConfig d, ModelShape s, long atStep) {
        net = network;
        detector = d;
        shape = s;
        step = atStep;
        currentStep = atStep;
        trainingStep = new TrainingStep(new TrainingConfig(d, config.scheduleSteps(), 1, config.warmupSteps(),
                config.lambdaAfter(), Math.max(1, config.evalEvery()), config.evalImages(), config.seed(), config.lrPolicy()));
        metrics.modelStep(atStep, AnchorPx.of(DetectorGraph.anchors(net, d)));
        modelReady = true;
        if (publisher != null) {
            publisher.modelReady(AnchorPx.of(DetectorGraph.anchors(net, d)));
        }
        listener.onModelReady(s, atStep, restored, net);
    }

    /** A new network for the shape of the first valid batch, with the configured initial anchors. */
    private void newModel(ModelShape s) {
        DetectorConfig d = config.detectorConfig(s.inputSize(), s.classNames().size());
        AnchorSet table = config.anchorInit().anchors(s.inputSize(), s.inputSize(), d.stride());
        List<Shape> shapes = new ArrayList<>();
        for (int k = 0; k < config.numAnchors(); k++) {
            Shape a = table.get(k);
            // identical anchors tie in every assignment and could never separate: a deterministic 1% spread
            // (as `abo train` does, dl4j-recipes 2.4)
            double f = config.anchorInit() == AnchorInit.IDENTICAL ? Math.exp(0.01 * (k - 2)) : 1;
            shapes.add(a.scale(f, f));
        }
        AnchorSet anchors = AnchorSet.of(shapes, s.inputSize());
        LOG.info("new model: {} px, classes {}, backbone {}, anchors {} ({})", s.inputSize(), s.classNames(),
                d.backboneChannels(), AnchorPx.of(anchors), config.anchorInit().cliName());
        useModel(DetectorGraph.build(d, anchors), d, s, 0);
    }

    private int stride() {
        return 1 << (config.backbone().size() - 1);
    }

    /** The poll-train-checkpoint loop over one consumer. */
    private final class Loop {
        private final KafkaConsumer<String, TrainingBatch> consumer;
        private final RecordPipeline pipeline;
        private final DeadLetters deadLetters;
        private final DeadLetterLog dlqLog;
        private final HeldOutSet heldOut;
        private long waitNanos;

        Loop(KafkaConsumer<String, TrainingBatch> consumer, RecordPipeline pipeline, DeadLetters deadLetters,
             DeadLetterLog dlqLog, HeldOutSet heldOut) {
            this.consumer = consumer;
            this.pipeline = pipeline;
            this.deadLetters = deadLetters;
            this.dlqLog = dlqLog;
            this.heldOut = heldOut;
        }

        void run() throws IOException {
            while (!stopRequested) {
                long t0 = System.nanoTime();
                RecordPipeline.Item item = pipeline.next(config.pollTimeout());
                metrics.lag(pipeline.lag());
                if (item == null) {
                    waitNanos += System.nanoTime() - t0;
                    continue;
                }
                if (item instanceof RecordPipeline.Poison p) {
                    waitNanos += System.nanoTime() - t0;
                    deadLetter(p.error());
                    continue;
                }
                RecordPipeline.Fetched f = (RecordPipeline.Fetched) item;
                RecordPipeline.Decoded d = RecordPipeline.await(f);
                waitNanos += System.nanoTime() - t0;
                if (d.error() != null) {
                    String kind = d.error() instanceof InvalidBatchException e ? e.kind().name() : KIND_ERROR;
                    deadLetter(f.record(), kind, d.error());
                    continue;
                }
                DecodedBatch batch = d.batch();          // its class ids renumbered into the model's below
                if (shape == null) {
                    try {
                        newModel(ModelShape.forFirstBatch(batch, config.inputSize(), config.classNames(), stride()));
                    } catch (IncompatibleBatchException e) {
                        deadLetter(f.record(), KIND_INCOMPATIBLE, e);
                        continue;
                    }
                }
                Optional<String> mismatch = shape.mismatch(batch);
                if (mismatch.isPresent()) {
                    deadLetter(f.record(), KIND_INCOMPATIBLE, new IncompatibleBatchException(mismatch.get()));
                    continue;
                }
                batch = shape.toModelClasses(batch);
                TrainingStep.Result result = train(f.record(), batch, d);
                boolean publish = publisher != null && publisher.due(step, result.anchors());
                TrainerState state = null;
                if (step % config.checkpointEvery() == 0 || publish) {
                    state = checkpointAndCommit();
                }
                Optional<HeldOutEval> eval = Optional.empty();
                if (config.evalEvery() > 0 && step % config.evalEvery() == 0) {
                    eval = evaluate();
                }
                if (publish) {
                    publisher.submit(state, checkpoints.file(), AnchorPx.of(DetectorGraph.anchors(net, detector)), eval);
                }
            }
        }

        private TrainingStep.Result train(ConsumerRecord<String, TrainingBatch> record, DecodedBatch batch, RecordPipeline.Decoded d) {
            List<List<LabeledObject>> objects = batch.samples().stream().map(TrainingSample::objects).toList();
            long t0 = System.nanoTime();
            TrainingStep.Result result = trainingStep.run(net, step, d.input(), objects);
            long trainNanos = System.nanoTime() - t0;
            if (publisher != null) {
                publisher.observe(objects, result.loss());
            }
            if (!ledger.add(batch.sourceId(), batch.sequenceNumber())) {
                metrics.retrained();
                LOG.warn("batch {} of '{}' ({}-{}@{}) was already trained into this model", batch.sequenceNumber(),
                        batch.sourceId(), record.topic(), record.partition(), record.offset());
            }
            positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            step++;
            currentStep = step;
            dirty = true;
            long waited = waitNanos;
            waitNanos = 0;
            metrics.step(step, result.loss(), result.anchors(), result.ignored(), waited, trainNanos);
            listener.onStep(new TrainerListener.StepEvent(result.step(), batch.sourceId(), batch.sequenceNumber(),
                    record.topic(), record.partition(), record.offset(), result, waited, trainNanos), net);
            return result;
        }

        TrainerState checkpointAndCommit() throws IOException {
            List<TrainerState.PartitionOffset> offsets = positions.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
                            .thenComparingInt(e -> e.getKey().partition()))
                    .map(e -> new TrainerState.PartitionOffset(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                    .toList();
            TrainerState state = new TrainerState(TrainerState.FORMAT_VERSION, step, shape.inputSize(), shape.classNames(),
                    offsets, ledger.ranges(), ledger.retrained(), ledger.retrainedCount(), deadLettered,
                    dlqLog.scanFrom(positions), System.currentTimeMillis());
            checkpoints.write(net, detector, state);
            dirty = false;
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition tp : consumer.assignment()) {
                Long pos = positions.get(tp);
                if (pos != null) {
                    commit.put(tp, new OffsetAndMetadata(pos, "step=" + step));
                }
            }
            boolean committed = true;
            try {
                consumer.commitSync(commit);
            } catch (KafkaException e) {
                committed = false;
                LOG.warn("checkpoint of step {} is durable but committing its offsets {} failed: {}", step, commit, e.toString());
            }
            metrics.checkpoint(step, committed);
            listener.onCheckpoint(state, committed, net);
            return state;
        }

        private Optional<HeldOutEval> evaluate() {
            heldOut.refresh(shape, EVAL_READ_BUDGET);
            Optional<HeldOutEval> h = heldOut.evaluate(net, detector, step);
            if (h.isEmpty()) {
                LOG.info("step {}: no held-out images yet on {}", step, evalTopic.name());
                return Optional.empty();
            }
            EvalRecord e = h.get().record();
            metrics.eval(e.ap50(), e.anchorIou(), e.images());
            LOG.info("step {}: AP50 {} anchor avg IoU {} on {} held-out images ({})", step, e.ap50(), e.anchorIou(),
                    e.images(), h.get().heldOutSet());
            listener.onEval(e);
            return h;
        }

        private void deadLetter(RecordDeserializationException e) {
            boolean write = !dlqLog.contains(e.topicPartition(), e.offset());
            if (write) {
                dlqLog.written(deadLetters.publish(e));
            }
            consumed(e.topicPartition(), e.offset(), KIND_UNDECODABLE,
                    String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), write);
        }

        private void deadLetter(ConsumerRecord<String, TrainingBatch> r, String kind, Exception reason) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            boolean write = !dlqLog.contains(tp, r.offset());
            if (write) {
                dlqLog.written(deadLetters.publish(r, trainTopic, reason));
            }
            consumed(tp, r.offset(), kind, reason.getMessage(), write);
        }

        /** {@code written}: false when the dead-letter topic already held the record (written before a crash). */
        private void consumed(TopicPartition tp, long offset, String kind, String reason, boolean written) {
            if (written) {
                LOG.warn("dead-lettered {}@{} ({}): {}", tp, offset, kind, reason);
                metrics.deadLetter(tp.topic(), kind);
            } else {
                LOG.warn("{}@{} ({}) is in {} already (dead-lettered before a restart): not written again; {}", tp, offset,
                        kind, trainTopic.dlq().name(), reason);
                metrics.deadLetterReplayed(tp.topic(), kind);
            }
            positions.put(tp, offset + 1);
            deadLettered++;
            dirty = true;
            listener.onDeadLetter(new TrainerListener.DeadLetterEvent(tp.topic(), tp.partition(), offset, kind, reason, written));
        }
    }

    /** Seeks newly assigned partitions to the checkpointed offsets; forgets buffered records of revoked ones. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, TrainingBatch> consumer;
        private final RecordPipeline pipeline;

        Rebalance(KafkaConsumer<String, TrainingBatch> consumer, RecordPipeline pipeline) {
            this.consumer = consumer;
            this.pipeline = pipeline;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                Long pos = positions.get(tp);
                OffsetAndMetadata c = committed.get(tp);
                if (pos != null) {
                    if (c == null || c.offset() != pos) {
                        LOG.warn("{}: the group has committed {} but the checkpoint says {}: resuming at the checkpoint",
                                tp, c == null ? "nothing" : c.offset(), pos);
                    }
                    consumer.seek(tp, pos);
                } else if (restored) {
                    LOG.info("{}: not in the checkpoint, reading it from the beginning", tp);
                    consumer.seekToBeginning(List.of(tp));
                    positions.put(tp, consumer.position(tp));
                } else {
                    if (c != null) {
                        LOG.warn("{}: no checkpoint but the group has committed {}: the new model starts there", tp, c.offset());
                    }
                    positions.put(tp, consumer.position(tp));
                }
            }
            LOG.info("assigned {}", partitions);
            listener.onAssigned(List.copyOf(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pipeline.drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            pipeline.drop(partitions);
        }
    }

    /**
     * Held-out records that cannot be used go to the evaluation topic's dead-letter topic, once: a record whose
     * letter is there already (written before a restart, {@link DeadLetterLog}) is counted as replayed, not
     * written again.
     */
    private final class HeldOutRejects implements HeldOutSet.Rejects {
        private final DeadLetters deadLetters;
        private final DeadLetterLog letters;

        HeldOutRejects(DeadLetters deadLetters, DeadLetterLog letters) {
            this.deadLetters = deadLetters;
            this.letters = letters;
        }

        @Override
        public void reject(ConsumerRecord<String, TrainingBatch> record, Exception reason) {
            String kind = reason instanceof InvalidBatchException e ? e.kind().name() : KIND_INCOMPATIBLE;
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (replayed(tp, record.offset(), kind, reason.getMessage())) {
                return;
            }
            letters.written(deadLetters.publish(record, evalTopic, reason));
            metrics.deadLetter(record.topic(), kind);
            LOG.warn("held-out record {}@{} dead-lettered: {}", tp, record.offset(), reason.getMessage());
        }

        @Override
        public void reject(RecordDeserializationException error) {
            if (replayed(error.topicPartition(), error.offset(), KIND_UNDECODABLE, error.getMessage())) {
                return;
            }
            letters.written(deadLetters.publish(error));
            metrics.deadLetter(error.topicPartition().topic(), KIND_UNDECODABLE);
            LOG.warn("held-out record {}@{} dead-lettered: {}", error.topicPartition(), error.offset(), error.getMessage());
        }

        private boolean replayed(TopicPartition tp, long offset, String kind, String reason) {
            if (!letters.contains(tp, offset)) {
                return false;
            }
            LOG.warn("held-out record {}@{} ({}) is in {} already (dead-lettered before a restart): not written again; {}",
                    tp, offset, kind, evalTopic.dlq().name(), reason);
            metrics.deadLetterReplayed(tp.topic(), kind);
            return true;
        }
    }
}
