package dev.abo.trainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeSet;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.train.LearningRatePolicy;
import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.observe.MetricsServerConfig;
import dev.abo.platform.topic.TopicSpec;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.trainer.publish.PublishConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;

/**
 * Every setting of the trainer service, from {@code ABO_*} keys (the environment in production, a literal
 * map in tests); {@code KAFKA_*} keys go to the Kafka clients and {@code METRICS_*} to the metrics server.
 * An unknown {@code ABO_*} key is an error, so a typo does not silently fall back to a default. Every
 * error is a {@link ConfigException} naming the key.
 *
 * <p>One optimisation step per consumed record: the record's images are the batch, so the batch size is
 * the loader's {@code ABO_BATCH_SIZE}; a step is also the unit of the warm-up and learning-rate schedules
 * and of the exactly-once bookkeeping (a record is trained whole or not at all).
 *
 * @param groupId          {@code ABO_GROUP_ID}, consumer group of the training stream, default {@code abo-trainer}
 * @param groupInstanceId  {@code ABO_GROUP_INSTANCE_ID}, the training consumer's {@code group.instance.id} (Kafka static
 *                         membership): a restarted trainer with the same id takes its partitions over at once instead
 *                         of waiting for the session timeout of its crashed predecessor; unset (the default): a
 *                         dynamic member. Stable per trainer: the pod name of a StatefulSet
 * @param trainTopic       {@code ABO_TRAIN_TOPIC}, default {@code train.batches}; poison records go to {@code <it>.dlq}
 * @param evalTopic        {@code ABO_EVAL_TOPIC}, the held-out stream, default {@code eval.batches}
 * @param inputSize        {@code ABO_INPUT_SIZE}, square network input in pixels; unset (the default): the first
 *                         valid batch of a new model decides; batches of another size are dead-lettered
 * @param classNames       {@code ABO_CLASS_NAMES}, comma-separated; unset (the default): the first valid batch of a
 *                         new model decides. Batches whose classes are all in the model's list (any subset, any
 *                         order, e.g. two sources with different classes) are trained with their class ids
 *                         renumbered by name; a batch with a class not in it is dead-lettered
 * @param backbone         {@code ABO_BACKBONE}, output channels per backbone block, default {@code 16,32,64,128,128}
 * @param numAnchors       {@code ABO_NUM_ANCHORS}, A, default 5 (the fixed tables have 5)
 * @param anchorInit       {@code ABO_ANCHORS_INIT}, {@code uniform|identical|voc|coco} (paper Sec. 4.2.1), default uniform
 * @param anchorMode       {@code ABO_ANCHORS_MODE}, {@code learned|fixed}, default learned
 * @param networkLr        {@code ABO_LR}, network Adam rate; unset: the detector's default
 * @param anchorLr         {@code ABO_ANCHOR_LR}, anchor Adam rate; unset: the detector's default
 * @param lrPolicy         {@code ABO_LR_POLICY}, {@code constant|step}, default constant (a stream has no end to
 *                         decay towards; step is the paper's schedule over {@code ABO_SCHEDULE_STEPS}, then its last rate)
 * @param scheduleSteps    {@code ABO_SCHEDULE_STEPS}, horizon of the step policy, default 30000 (paper Sec. 4.2)
 * @param warmupSteps      {@code ABO_WARMUP_STEPS}, anchor warm-up (soft assignment T, clustering lambda; paper
 *                         Sec. 3.2), counted in global steps, default 1500 (the paper's)
 * @param lambdaAfter      {@code ABO_LAMBDA_AFTER}, clustering weight kept after the warm-up, [0, 1], default 0
 * @param seed             {@code ABO_SEED}, weight initialisation of a new model, default 1
 * @param checkpointDir    {@code ABO_CHECKPOINT_DIR}, default {@code trainer-checkpoints}
 * @param checkpointEvery  {@code ABO_CHECKPOINT_EVERY}, steps between checkpoints (and offset commits), default 100
 * @param evalEvery        {@code ABO_EVAL_EVERY}, steps between held-out evaluations, 0 = never, default 200
 * @param evalImages       {@code ABO_EVAL_IMAGES}, held-out images kept in memory: a sliding window of the most
 *                         recent ones of the held-out stream, refreshed before every evaluation (so after a drift
 *                         the evaluation moves to held-out images recorded after it as they arrive), default 128
 * @param prefetchRecords  {@code ABO_PREFETCH_RECORDS}, records decoded ahead of the training step, default 4
 * @param pollTimeout      {@code ABO_POLL_TIMEOUT_MS}, longest wait of one poll when nothing is buffered, default 500
 *                         (publishing: {@code ABO_REGISTRY_URL}, {@code ABO_REGISTRY_TOKEN}, {@code ABO_MODEL_NAME},
 *                         {@code ABO_PUBLISH_EVERY}, {@code ABO_PUBLISH_EPSILON}, see {@link #publish()})
 * @param metrics          {@code METRICS_BIND_HOST}, {@code METRICS_PORT} (platform keys, default 0.0.0.0:9400)
 * @param source           the whole source, for the Kafka clients
 */
public record TrainerConfig(String groupId, Optional<String> groupInstanceId, String trainTopic, String evalTopic, OptionalInt inputSize,
                            Optional<List<String>> classNames, List<Integer> backbone, int numAnchors,
                            AnchorInit anchorInit, DetectorConfig.AnchorMode anchorMode, OptionalDouble networkLr,
                            OptionalDouble anchorLr, LearningRatePolicy lrPolicy, long scheduleSteps, long warmupSteps,
                            double lambdaAfter, long seed, Path checkpointDir, long checkpointEvery, long evalEvery,
                            int evalImages, int prefetchRecords, Duration pollTimeout, MetricsServerConfig metrics,
                            ConfigSource source) {

    /** The {@code ABO_*} keys this service reads. */
    public static final List<String> KEYS = java.util.stream.Stream.concat(java.util.stream.Stream.of("ABO_GROUP_ID", "ABO_GROUP_INSTANCE_ID", "ABO_TRAIN_TOPIC", "ABO_EVAL_TOPIC",
            "ABO_INPUT_SIZE", "ABO_CLASS_NAMES", "ABO_BACKBONE", "ABO_NUM_ANCHORS", "ABO_ANCHORS_INIT",
            "ABO_ANCHORS_MODE", "ABO_LR", "ABO_ANCHOR_LR", "ABO_LR_POLICY", "ABO_SCHEDULE_STEPS", "ABO_WARMUP_STEPS",
            "ABO_LAMBDA_AFTER", "ABO_SEED", "ABO_CHECKPOINT_DIR", "ABO_CHECKPOINT_EVERY", "ABO_EVAL_EVERY",
            "ABO_EVAL_IMAGES", "ABO_PREFETCH_RECORDS", "ABO_POLL_TIMEOUT_MS"),
            PublishConfig.KEYS.stream()).toList();

    public static final String DEFAULT_GROUP_ID = "abo-trainer";

    public TrainerConfig {
        classNames = classNames.map(List::copyOf);
        backbone = List.copyOf(backbone);
    }

    /** Reads and validates every setting of {@code env} (the environment or a literal map); the first problem is thrown. */
    public static TrainerConfig from(Map<String, String> env) {
        rejectUnknown(env);
        ConfigSource c = ConfigSource.of(env);
        String group = c.string("ABO_GROUP_ID", DEFAULT_GROUP_ID);
        Optional<String> instanceId = groupInstanceId(c);
        String train = topicName(c, "ABO_TRAIN_TOPIC", Topics.TRAIN_BATCHES.name());
        String eval = topicName(c, "ABO_EVAL_TOPIC", Topics.EVAL_BATCHES.name());
        if (train.equals(eval)) {
            throw new ConfigException("ABO_EVAL_TOPIC", eval, "a topic other than ABO_TRAIN_TOPIC");
        }
        OptionalInt inputSize = c.optionalString("ABO_INPUT_SIZE").isPresent()
                ? OptionalInt.of(c.intInRange("ABO_INPUT_SIZE", 128, 1, 4096)) : OptionalInt.empty();
        Optional<List<String>> classes = c.optionalString("ABO_CLASS_NAMES").map(t -> classList("ABO_CLASS_NAMES", t));
        List<Integer> backbone = backbone(c.string("ABO_BACKBONE", "16,32,64,128,128"));
        if (inputSize.isPresent() && inputSize.getAsInt() % (1 << (backbone.size() - 1)) != 0) {
            throw new ConfigException("ABO_INPUT_SIZE", String.valueOf(inputSize.getAsInt()), "a multiple of the stride "
                    + (1 << (backbone.size() - 1)) + " of ABO_BACKBONE (" + backbone.size() + " blocks)");
        }
        int anchors = c.intInRange("ABO_NUM_ANCHORS", 5, 1, 5);
        AnchorInit init = c.enumValue("ABO_ANCHORS_INIT", AnchorInit.class, AnchorInit.UNIFORM);
        if (init.needsData()) {
            throw new ConfigException("ABO_ANCHORS_INIT", c.string("ABO_ANCHORS_INIT", ""),
                    "uniform, identical, voc or coco (k-means needs a dataset: fit it with `abo anchors` and train offline)");
        }
        DetectorConfig.AnchorMode mode = c.enumValue("ABO_ANCHORS_MODE", DetectorConfig.AnchorMode.class,
                DetectorConfig.AnchorMode.LEARNED);
        OptionalDouble lr = optionalRate(c, "ABO_LR");
        OptionalDouble anchorLr = optionalRate(c, "ABO_ANCHOR_LR");
        LearningRatePolicy policy = c.enumValue("ABO_LR_POLICY", LearningRatePolicy.class, LearningRatePolicy.CONSTANT);
        long scheduleSteps = c.longInRange("ABO_SCHEDULE_STEPS", 30_000, 4, Long.MAX_VALUE / 4);
        long warmup = c.longInRange("ABO_WARMUP_STEPS", 1500, 0, Long.MAX_VALUE / 4);
        if (warmup > scheduleSteps) {
            throw new ConfigException("ABO_WARMUP_STEPS", String.valueOf(warmup), "at most ABO_SCHEDULE_STEPS (" + scheduleSteps + ")");
        }
        double lambdaAfter = c.doubleInRange("ABO_LAMBDA_AFTER", 0, 0, 1);
        long seed = c.longValue("ABO_SEED", 1);
        Path dir = c.path("ABO_CHECKPOINT_DIR", Path.of("trainer-checkpoints"));
        long every = c.longInRange("ABO_CHECKPOINT_EVERY", 100, 1, Long.MAX_VALUE);
        long evalEvery = c.longInRange("ABO_EVAL_EVERY", 200, 0, Long.MAX_VALUE);
        int evalImages = c.intInRange("ABO_EVAL_IMAGES", 128, 1, 100_000);
        int prefetch = c.intInRange("ABO_PREFETCH_RECORDS", 4, 1, 1000);
        Duration poll = c.durationMs("ABO_POLL_TIMEOUT_MS", Duration.ofMillis(500));
        if (poll.isZero()) {
            throw new ConfigException("ABO_POLL_TIMEOUT_MS", "0", "a positive number of milliseconds");
        }
        PublishConfig.from(c);                  // validated here, read again by publish()
        return new TrainerConfig(group, instanceId, train, eval, inputSize, classes, backbone, anchors, init, mode, lr, anchorLr,
                policy, scheduleSteps, warmup, lambdaAfter, seed, dir, every, evalEvery, evalImages, prefetch, poll,
                MetricsServerConfig.from(c), c);
    }

    /** The training topic: {@link Topics#TRAIN_BATCHES} under the configured name. */
    public TopicSpec<String, TrainingBatch> trainSpec() {
        return renamed(Topics.TRAIN_BATCHES, trainTopic);
    }

    /** The held-out topic: {@link Topics#EVAL_BATCHES} under the configured name. */
    public TopicSpec<String, TrainingBatch> evalSpec() {
        return renamed(Topics.EVAL_BATCHES, evalTopic);
    }

    /**
     * The detector of a new model for {@code size} and {@code classes}: the detector's defaults with this
     * configuration's backbone, anchors, rates and seed.
     */
    public DetectorConfig detectorConfig(int size, int classes) {
        // the defaults' own backbone need not divide `size`: take them at a size every stride divides
        DetectorConfig d = DetectorConfig.defaults(4096, classes);
        return new DetectorConfig(size, backbone, numAnchors, classes, d.lambdaCoord(), d.lambdaObj(), d.lambdaNoObj(),
                d.lambdaClass(), d.ignoreThreshold(), d.objectnessTarget(), networkLr.orElse(d.networkLearningRate()),
                anchorLr.orElse(d.anchorLearningRate()), anchorMode, d.softWarmup(), d.clusteringWarmup(),
                d.bnWithoutShift(), d.precision(), seed);
    }

    /**
     * The training consumer's properties: the platform's consumer defaults for the training topic, at most
     * {@link #prefetchRecords} records per poll (unless {@code KAFKA_MAX_POLL_RECORDS}), the classic group protocol
     * (unless {@code KAFKA_GROUP_PROTOCOL}) and {@code group.instance.id} when {@link #groupInstanceId} is set.
     */
    public Map<String, Object> trainConsumerProperties() {
        Map<String, Object> props = KafkaClients.consumerProperties(source, groupId, trainSpec());
        Map<String, String> kafka = source.kafkaProperties();
        if (!kafka.containsKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)) {
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(prefetchRecords));
        }
        if (!kafka.containsKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG)) {
            // pinned, not left to the client's default: static membership below relies on the classic protocol
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(java.util.Locale.ROOT));
        }
        groupInstanceId.ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        return props;
    }

    /** Publishing to the anchor registry ({@code ABO_REGISTRY_URL}, ...; off when the URL is unset). */
    public PublishConfig publish() {
        return PublishConfig.from(source);
    }

    public TrainerConfig withCheckpointDir(Path dir) {
        return new TrainerConfig(groupId, groupInstanceId, trainTopic, evalTopic, inputSize, classNames, backbone, numAnchors, anchorInit,
                anchorMode, networkLr, anchorLr, lrPolicy, scheduleSteps, warmupSteps, lambdaAfter, seed, dir,
                checkpointEvery, evalEvery, evalImages, prefetchRecords, pollTimeout, metrics, source);
    }

    private static <V> TopicSpec<String, V> renamed(TopicSpec<String, V> t, String name) {
        return name.equals(t.name()) ? t
                : new TopicSpec<>(name, t.keySerde(), t.valueSerde(), t.partitions(), t.replicationFactor(), t.configs());
    }

    private static void rejectUnknown(Map<String, String> env) {
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : env.keySet()) {
            if (key.startsWith("ABO_") && !KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown.first(), env.get(unknown.first()),
                    "no such setting; the trainer reads " + String.join(", ", KEYS));
        }
    }

    /**
     * {@code ABO_GROUP_INSTANCE_ID}: Kafka's rules for a group instance id. Only with the classic group protocol: with
     * {@code group.protocol=consumer} (KIP-848) the coordinator refuses a member whose instance id a member that has
     * not left still owns ({@code UNRELEASED_INSTANCE_ID}, fatal in the client), which is exactly the crashed
     * predecessor. Not through {@code KAFKA_GROUP_INSTANCE_ID}, which would also reach the held-out consumer.
     */
    private static Optional<String> groupInstanceId(ConfigSource c) {
        String passthrough = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
        if (c.kafkaProperties().containsKey(passthrough)) {
            throw new ConfigException("KAFKA_GROUP_INSTANCE_ID", c.kafkaProperties().get(passthrough),
                    "unset: the trainer's static membership is ABO_GROUP_INSTANCE_ID (for the training consumer only)");
        }
        Optional<String> id = c.optionalString("ABO_GROUP_INSTANCE_ID").map(String::strip);
        if (id.isEmpty()) {
            return id;
        }
        if (!id.get().matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new ConfigException("ABO_GROUP_INSTANCE_ID", id.get(),
                    "at most 249 letters, digits, '.', '_', '-' (a Kafka group.instance.id), e.g. the pod name trainer-0");
        }
        String protocol = c.kafkaProperties().getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        if (!protocol.equalsIgnoreCase("classic")) {
            throw new ConfigException("KAFKA_GROUP_PROTOCOL", protocol, "classic (or unset) with ABO_GROUP_INSTANCE_ID: with the "
                    + "consumer protocol a restarted static member is refused (UNRELEASED_INSTANCE_ID) until its crashed "
                    + "predecessor's session has expired");
        }
        return id;
    }

    private static String topicName(ConfigSource c, String key, String fallback) {
        String name = c.string(key, fallback);
        if (!name.matches("[a-zA-Z0-9._-]{1,245}")) {
            throw new ConfigException(key, name, "a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return name;
    }

    private static OptionalDouble optionalRate(ConfigSource c, String key) {
        return c.optionalString(key).isPresent() ? OptionalDouble.of(c.doubleInRange(key, 0, 0, 1)) : OptionalDouble.empty();
    }

    private static List<String> classList(String key, String text) {
        List<String> names = new ArrayList<>();
        for (String n : text.split(",", -1)) {
            String t = n.strip();
            if (t.isEmpty() || names.contains(t)) {
                throw new ConfigException(key, text, "comma-separated, non-empty, distinct class names");
            }
            names.add(t);
        }
        return names;
    }

    private static List<Integer> backbone(String text) {
        List<Integer> channels = new ArrayList<>();
        for (String p : text.split(",", -1)) {
            try {
                int v = Integer.parseInt(p.strip());
                if (v < 1 || v > 4096) {
                    throw new NumberFormatException();
                }
                channels.add(v);
            } catch (NumberFormatException e) {
                throw new ConfigException("ABO_BACKBONE", text, "comma-separated channel counts in [1, 4096], e.g. 16,32,64,128,128");
            }
        }
        if (channels.size() > 8) {
            throw new ConfigException("ABO_BACKBONE", text, "at most 8 blocks");
        }
        return channels;
    }

    /** For messages: the settings that differ from the defaults are in {@link #source}. */
    @Override
    public String toString() {
        return "TrainerConfig[group=" + groupId + groupInstanceId.map(id -> " as static member " + id).orElse("") + ", topics=" + trainTopic + "/" + evalTopic + ", input="
                + (inputSize.isPresent() ? inputSize.getAsInt() : "first batch") + ", classes="
                + classNames.map(Object::toString).orElse("first batch") + ", backbone=" + backbone + ", anchors="
                + numAnchors + " " + anchorInit.cliName() + " " + anchorMode + ", lr=" + networkLr + "/" + anchorLr + " "
                + lrPolicy + ", warmup=" + warmupSteps + ", checkpoint every " + checkpointEvery + " to " + checkpointDir
                + ", eval every " + evalEvery + " on " + evalImages + " images]";
    }
}
