package dev.abo.loader;

import dev.abo.core.augment.AffineCrop;
import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Scaling;
import dev.abo.core.augment.VisibilityRule;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.codec.TrainingBatchCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every setting of the data-loader, built from a {@code Map} (the environment in production, a literal
 * map in tests). {@code ABO_*} keys are this service's, with the defaults below; an unknown
 * {@code ABO_*} key is an error (a typo must not silently fall back to a default). {@code KAFKA_*} keys
 * pass to the Kafka clients: {@code KAFKA_BOOTSTRAP_SERVERS} becomes {@code bootstrap.servers}. Every
 * message names the bad key. All parsing is in this class so it can move onto the platform's shared
 * config source.
 *
 * @param source          {@code ABO_SOURCE}, default {@code synthetic:mixed}; see {@link SourceSpec}
 * @param sourceId        {@code ABO_SOURCE_ID}, the record key, default {@code <ABO_SOURCE>/loader-0}
 * @param batchSize       {@code ABO_BATCH_SIZE}, images per batch, 1..1024, default 16
 * @param inputWidth      {@code ABO_INPUT_SIZE} ({@code N} or {@code WxH}), network input pixels, default 128
 * @param inputHeight     see inputWidth
 * @param seed            {@code ABO_SEED}, seeds scenes, augmentation, epoch order and the held-out split, default 1
 * @param imageFormat     {@code ABO_IMAGE_ENCODING} ({@code jpeg|png|rgb8}, default jpeg) with
 *                        {@code ABO_JPEG_QUALITY} (1..100, default 90)
 * @param scaling         {@code ABO_SCALING} ({@code random|fit|none}, default by source, {@link SourceSpec#defaultScaling()}:
 *                        fit for a still camera, random for photos): YOLOv2's random scaling; fit, the whole frame
 *                        stretched to the input as held-out frames are, then shifted by the jitter (no random
 *                        scaling, paper Sec. 4.2.3); none, input-size windows at one source pixel per input pixel
 *                        (consistent with the held-out frames only when the input is the frames' own size)
 * @param evalFraction    {@code ABO_EVAL_FRACTION}, share of a dataset's images held out for
 *                        {@code eval.batches}, [0, 1), 0 = no evaluation stream; default 0.1
 * @param evalImages      {@code ABO_EVAL_IMAGES}, endless sources (synthetic, camera, watched folder): frames of
 *                        each held-out set, rounded up to whole batches, >= 0, 0 = no evaluation stream; default 512
 * @param evalEveryBatches {@code ABO_EVAL_EVERY_BATCHES}, endless sources: training batches between two held-out
 *                        sets, 1..10^12, default 288 (with the default 512 images in batches of 16, a tenth of the
 *                        frames is held out); see {@link HeldOutRounds}
 * @param topic           {@code ABO_TOPIC}, default {@code train.batches}
 * @param evalTopic       {@code ABO_EVAL_TOPIC}, default {@code eval.batches}
 * @param maxRecordBytes  {@code ABO_MAX_RECORD_BYTES}, the topics' {@code max.message.bytes}, default 1048576
 * @param driftFrame      {@code ABO_DRIFT_FRAME}, {@code camera:drift}: first sample showing heads, default 3000
 * @param driftBlendFrames {@code ABO_DRIFT_BLEND_FRAMES}, {@code camera:drift}: length of the blend, default 0
 * @param watchPoll       {@code ABO_WATCH_POLL_MS}, {@code watch:}: how often the folder is scanned, default 1000 ms
 * @param watchSettle     {@code ABO_WATCH_SETTLE_MS}, {@code watch:}: an annotation file is read once it
 *                        was not modified for this long, default 2000 ms
 * @param classNames      {@code ABO_CLASS_NAMES}, {@code watch:}: comma-separated classes, default {@code head}
 * @param augment         {@code ABO_AUGMENT} ({@code yolov2|none}, default yolov2): YOLOv2's random jitter,
 *                        scaling, flip and colour change ({@link #augmentConfig()}), or none: the frame is
 *                        only fitted to the input size (a camera whose frames already are the network's view)
 * @param watchFlush      {@code ABO_WATCH_FLUSH_MS}, {@code watch:}: a partial batch is sent once its oldest
 *                        frame has waited this long for the batch to fill, default 5000 ms
 * @param delivery        how batches reach Kafka: in-flight bound, lag cap, rate, errors, resume; see {@link Delivery}
 * @param kafka           the {@code KAFKA_*} settings as client properties
 */
public record LoaderConfig(SourceSpec source, String sourceId, int batchSize, int inputWidth, int inputHeight,
                           long seed, ImageFormat imageFormat, Scaling scaling, double evalFraction, int evalImages,
                           long evalEveryBatches, String topic, String evalTopic, long maxRecordBytes, long driftFrame,
                           long driftBlendFrames, Duration watchPoll, Duration watchSettle, List<String> classNames,
                           Augment augment, Duration watchFlush, Delivery delivery, Map<String, String> kafka) {

    /** The {@code ABO_*} keys this service reads. */
    public static final List<String> KEYS = List.of("ABO_SOURCE", "ABO_SOURCE_ID", "ABO_BATCH_SIZE", "ABO_INPUT_SIZE",
            "ABO_SEED", "ABO_IMAGE_ENCODING", "ABO_JPEG_QUALITY", "ABO_SCALING", "ABO_EVAL_FRACTION", "ABO_EVAL_IMAGES",
            "ABO_EVAL_EVERY_BATCHES", "ABO_TOPIC", "ABO_EVAL_TOPIC", "ABO_MAX_RECORD_BYTES", "ABO_DRIFT_FRAME",
            "ABO_DRIFT_BLEND_FRAMES",
            "ABO_WATCH_POLL_MS", "ABO_WATCH_SETTLE_MS", "ABO_CLASS_NAMES", "ABO_AUGMENT", "ABO_WATCH_FLUSH_MS",
            "ABO_MAX_IN_FLIGHT", "ABO_MAX_LAG_BATCHES", "ABO_TRAINER_GROUP", "ABO_LAG_POLL_MS", "ABO_MAX_BATCHES_PER_S",
            "ABO_ON_TOO_LARGE", "ABO_MAX_BATCHES", "ABO_RESUME_SCAN_RECORDS");

    /** Largest {@code ABO_EVAL_EVERY_BATCHES}: far more than any run reaches (one held-out set at the start only). */
    public static final long MAX_EVAL_EVERY_BATCHES = 1_000_000_000_000L;

    /** Augmentation of training samples ({@code ABO_AUGMENT}). */
    public enum Augment {
        /** YOLOv2's jitter, scaling ({@code ABO_SCALING}), flip and HSV change. */
        YOLOV2,
        /** None: each frame is only fitted to the input size. */
        NONE
    }

    /** What to do with a batch larger than {@code ABO_MAX_RECORD_BYTES} ({@code ABO_ON_TOO_LARGE}). */
    public enum TooLargePolicy {
        /** Stop with exit code 2: the same settings would fail again (default). */
        STOP,
        /** Count it, log it and go on with the next sequence number (the skipped one is a gap). */
        SKIP
    }

    /**
     * How the service delivers batches to Kafka (see {@code LoaderService} for the policy).
     *
     * @param maxInFlight        {@code ABO_MAX_IN_FLIGHT}, batches sent and not yet acknowledged, 1..1024, default 8
     * @param maxLagBatches      {@code ABO_MAX_LAG_BATCHES}, the loader pauses while the train topic holds this
     *                           many batches the trainer group has not committed, >= 1, default 1000
     * @param trainerGroup       {@code ABO_TRAINER_GROUP}, the trainer's consumer group, default {@code abo-trainer} (the trainer service's ABO_GROUP_ID default)
     * @param lagPoll            {@code ABO_LAG_POLL_MS}, how often the lag is measured (and re-checked while
     *                           paused), 10..600000, default 1000 ms
     * @param maxBatchesPerSecond {@code ABO_MAX_BATCHES_PER_S}, optional rate limit of this loader, > 0;
     *                           unset = as fast as assembly and the in-flight bound allow
     * @param onTooLarge         {@code ABO_ON_TOO_LARGE} ({@code stop|skip}, default stop)
     * @param maxBatches         {@code ABO_MAX_BATCHES}, optional: exit 0 once training batches
     *                           {@code 0..N-1} of this source are on the topic; unset = endless
     * @param resumeScanRecords  {@code ABO_RESUME_SCAN_RECORDS}, how many records at the end of its partition a
     *                           starting loader reads to find its last sequence number, >= 1, default 10000
     */
    public record Delivery(int maxInFlight, long maxLagBatches, String trainerGroup, Duration lagPoll,
                           OptionalDouble maxBatchesPerSecond, TooLargePolicy onTooLarge, OptionalLong maxBatches,
                           int resumeScanRecords) {
    }

    public LoaderConfig {
        classNames = List.copyOf(classNames);
        kafka = Map.copyOf(kafka);
    }

    /**
     * The configuration from environment-style keys.
     *
     * @throws IllegalArgumentException {@code "<KEY>: <problem>"} for the first bad key
     */
    public static LoaderConfig from(Map<String, String> env) {
        Reader r = new Reader(env);
        r.rejectUnknown();
        String sourceText = r.text("ABO_SOURCE", "synthetic:mixed");
        SourceSpec source = r.parse("ABO_SOURCE", sourceText, SourceSpec::parse);
        String sourceId = r.text("ABO_SOURCE_ID", sourceText + "/loader-0");
        int batchSize = r.integer("ABO_BATCH_SIZE", 16, 1, 1024);
        int[] size = r.parse("ABO_INPUT_SIZE", r.text("ABO_INPUT_SIZE", "128"), LoaderConfig::inputSize);
        long seed = r.longValue("ABO_SEED", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        String encoding = r.choice("ABO_IMAGE_ENCODING", "jpeg", List.of("jpeg", "png", "rgb8"));
        int quality = r.integer("ABO_JPEG_QUALITY", 90, 1, 100);
        ImageFormat format = switch (encoding) {
            case "png" -> ImageFormat.png();
            case "rgb8" -> ImageFormat.rgb8();
            default -> ImageFormat.jpeg(quality);
        };
        Scaling scaling = Scaling.valueOf(r.choice("ABO_SCALING", source.defaultScaling().name().toLowerCase(Locale.ROOT),
                List.of("random", "fit", "none")).toUpperCase(Locale.ROOT));
        double evalFraction = r.fraction("ABO_EVAL_FRACTION", 0.1);
        int evalImages = r.integer("ABO_EVAL_IMAGES", 512, 0, Integer.MAX_VALUE);
        long evalEvery = r.longValue("ABO_EVAL_EVERY_BATCHES", 288, 1, MAX_EVAL_EVERY_BATCHES);
        String topic = r.text("ABO_TOPIC", "train.batches");
        String evalTopic = r.text("ABO_EVAL_TOPIC", "eval.batches");
        long maxRecordBytes = r.longValue("ABO_MAX_RECORD_BYTES", 1_048_576, 1024, Integer.MAX_VALUE);
        long driftFrame = r.longValue("ABO_DRIFT_FRAME", 3000, 0, Long.MAX_VALUE / 2);
        long driftBlend = r.longValue("ABO_DRIFT_BLEND_FRAMES", 0, 0, Long.MAX_VALUE / 2);
        Duration poll = Duration.ofMillis(r.longValue("ABO_WATCH_POLL_MS", 1000, 10, 3_600_000));
        Duration settle = Duration.ofMillis(r.longValue("ABO_WATCH_SETTLE_MS", 2000, 0, 3_600_000));
        List<String> classes = r.parse("ABO_CLASS_NAMES", r.text("ABO_CLASS_NAMES", "head"), LoaderConfig::classList);
        Augment augment = r.choice("ABO_AUGMENT", "yolov2", List.of("yolov2", "none")).equals("none")
                ? Augment.NONE : Augment.YOLOV2;
        Duration flush = Duration.ofMillis(r.longValue("ABO_WATCH_FLUSH_MS", 5000, 0, 3_600_000));
        Delivery delivery = new Delivery(
                r.integer("ABO_MAX_IN_FLIGHT", 8, 1, 1024),
                r.longValue("ABO_MAX_LAG_BATCHES", 1000, 1, Long.MAX_VALUE),
                r.text("ABO_TRAINER_GROUP", "abo-trainer"),
                Duration.ofMillis(r.longValue("ABO_LAG_POLL_MS", 1000, 10, 600_000)),
                r.optionalRate("ABO_MAX_BATCHES_PER_S"),
                r.choice("ABO_ON_TOO_LARGE", "stop", List.of("stop", "skip")).equals("skip")
                        ? TooLargePolicy.SKIP : TooLargePolicy.STOP,
                env.containsKey("ABO_MAX_BATCHES")
                        ? OptionalLong.of(r.longValue("ABO_MAX_BATCHES", 1, 1, Long.MAX_VALUE / 2)) : OptionalLong.empty(),
                r.integer("ABO_RESUME_SCAN_RECORDS", 10_000, 1, Integer.MAX_VALUE));
        if (topic.equals(evalTopic)) {
            throw new IllegalArgumentException("ABO_EVAL_TOPIC: must differ from ABO_TOPIC, both are '" + topic + "'");
        }
        return new LoaderConfig(source, sourceId, batchSize, size[0], size[1], seed, format, scaling, evalFraction,
                evalImages, evalEvery, topic, evalTopic, maxRecordBytes, driftFrame, driftBlend, poll, settle, classes,
                augment, flush, delivery, r.kafka());
    }

    /**
     * Which frames of an endless source are held out ({@code ABO_EVAL_IMAGES} per set, a set after every
     * {@code ABO_EVAL_EVERY_BATCHES} training batches); empty for a dataset (its held-out split is sent first, see
     * {@link SampleStreams}) and when {@code ABO_EVAL_IMAGES} is 0.
     */
    public Optional<HeldOutRounds> heldOutRounds() {
        if (source instanceof SourceSpec.Dataset || evalImages == 0) {
            return Optional.empty();
        }
        return Optional.of(HeldOutRounds.of(evalImages, batchSize, evalEveryBatches));
    }

    /** The augmentation of training samples at the input size: {@code ABO_AUGMENT} with {@code ABO_SCALING}. */
    public AugmentConfig augmentConfig() {
        if (augment == Augment.NONE) {
            // no jitter, no flip, no colour change: only the fit to the input size. FIT with jitter 0 is a crop
            // window of exactly the whole frame, stretched to the input, as the held-out frames are
            return new AugmentConfig(inputWidth, inputHeight, 0, Scaling.FIT, 0, 0, 1, 1,
                    VisibilityRule.DEFAULT.minVisibleFraction(), VisibilityRule.DEFAULT.minBoxSidePx(), AffineCrop.GREY_127);
        }
        return AugmentConfig.yolov2(inputWidth, inputHeight).withScaling(scaling);
    }

    /**
     * The {@code KAFKA_*} settings again as a {@link ConfigSource}, for the platform's {@code KafkaClients}
     * ({@code bootstrap.servers} -> {@code KAFKA_BOOTSTRAP_SERVERS}; Kafka property names have no {@code _}).
     */
    public ConfigSource kafkaSource() {
        Map<String, String> env = new TreeMap<>();
        kafka.forEach((name, value) -> env.put(ConfigSource.KAFKA_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_'),
                value));
        return ConfigSource.of(env);
    }

    private static int[] inputSize(String text) {
        String[] parts = text.split("x", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("expected N or WIDTHxHEIGHT");
        }
        int[] wh = new int[2];
        for (int i = 0; i < 2; i++) {
            String p = parts[Math.min(i, parts.length - 1)];
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected N or WIDTHxHEIGHT");
            }
            if (v < 1 || v > TrainingBatchCodec.MAX_INPUT_SIDE_PX) {
                throw new IllegalArgumentException("each side must be in 1.." + TrainingBatchCodec.MAX_INPUT_SIDE_PX);
            }
            wh[i] = v;
        }
        return wh;
    }

    private static List<String> classList(String text) {
        List<String> names = new ArrayList<>();
        for (String n : text.split(",", -1)) {
            String t = n.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty class name in a comma-separated list");
            }
            if (names.contains(t)) {
                throw new IllegalArgumentException("class '" + t + "' listed twice");
            }
            names.add(t);
        }
        return names;
    }

    /** Reads keys of one map; every failure is {@code "<KEY>: <problem>"}. */
    private static final class Reader {
        private final Map<String, String> env;

        Reader(Map<String, String> env) {
            this.env = env;
        }

        void rejectUnknown() {
            TreeSet<String> unknown = new TreeSet<>();
            for (String k : env.keySet()) {
                if (k.startsWith("ABO_") && !KEYS.contains(k)) {
                    unknown.add(k);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(unknown.first() + ": unknown setting; the data-loader reads "
                        + String.join(", ", KEYS));
            }
        }

        String text(String key, String fallback) {
            String v = env.get(key);
            if (v == null) {
                return fallback;
            }
            if (v.isBlank()) {
                throw new IllegalArgumentException(key + ": empty value (unset it to use the default '" + fallback + "')");
            }
            return v.strip();
        }

        <T> T parse(String key, String text, java.util.function.Function<String, T> parser) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage() + ", got '" + text + "'", e);
            }
        }

        int integer(String key, int fallback, int min, int max) {
            return (int) longValue(key, fallback, min, max);
        }

        long longValue(String key, long fallback, long min, long max) {
            String t = text(key, Long.toString(fallback));
            long v;
            try {
                v = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": expected an integer in " + min + ".." + max + ", got '" + t + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + ": expected an integer in " + min + ".." + max + ", got " + v);
            }
            return v;
        }

        double fraction(String key, double fallback) {
            String t = text(key, Double.toString(fallback));
            double v;
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException(key + ": expected a number in [0, 1), got '" + t + "'");
            }
            return v;
        }

        OptionalDouble optionalRate(String key) {
            if (!env.containsKey(key)) {
                return OptionalDouble.empty();
            }
            String t = text(key, "");
            double v;
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v > 0 && v <= 1e6)) {
                throw new IllegalArgumentException(key + ": expected a number of batches per second in (0, 1000000], got '"
                        + t + "' (unset it for no limit)");
            }
            return OptionalDouble.of(v);
        }

        String choice(String key, String fallback, List<String> allowed) {
            String t = text(key, fallback).toLowerCase(Locale.ROOT);
            if (!allowed.contains(t)) {
                throw new IllegalArgumentException(key + ": expected one of " + String.join(", ", allowed) + ", got '"
                        + env.get(key) + "'");
            }
            return t;
        }

        Map<String, String> kafka() {
            Map<String, String> props = new TreeMap<>();
            env.forEach((k, v) -> {
                if (k.startsWith("KAFKA_") && k.length() > "KAFKA_".length()) {
                    props.put(k.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
                }
            });
            return props;
        }
    }
}
