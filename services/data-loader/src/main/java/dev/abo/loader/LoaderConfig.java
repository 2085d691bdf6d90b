package dev.abo.loader;

import dev.abo.core.augment.Scaling;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.codec.TrainingBatchCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param scaling         {@code ABO_SCALING} ({@code random|none}, default random): YOLOv2's random
 *                        scaling, or none for a still camera (paper Sec. 4.2.3, Brainwash)
 * @param evalFraction    {@code ABO_EVAL_FRACTION}, share of a dataset's images held out for
 *                        {@code eval.batches}, [0, 1), 0 = no evaluation stream; default 0.1
 * @param evalImages      {@code ABO_EVAL_IMAGES}, held-out scenes of a synthetic or camera source, >= 0,
 *                        0 = no evaluation stream; default 512
 * @param topic           {@code ABO_TOPIC}, default {@code train.batches}
 * @param evalTopic       {@code ABO_EVAL_TOPIC}, default {@code eval.batches}
 * @param maxRecordBytes  {@code ABO_MAX_RECORD_BYTES}, the topics' {@code max.message.bytes}, default 1048576
 * @param driftFrame      {@code ABO_DRIFT_FRAME}, {@code camera:drift}: first sample showing heads, default 3000
 * @param driftBlendFrames {@code ABO_DRIFT_BLEND_FRAMES}, {@code camera:drift}: length of the blend, default 0
 * @param watchPoll       {@code ABO_WATCH_POLL_MS}, {@code watch:}: how often the folder is scanned, default 1000 ms
 * @param watchSettle     {@code ABO_WATCH_SETTLE_MS}, {@code watch:}: an annotation file is read once it
 *                        was not modified for this long, default 2000 ms
 * @param classNames      {@code ABO_CLASS_NAMES}, {@code watch:}: comma-separated classes, default {@code head}
 * @param kafka           the {@code KAFKA_*} settings as client properties
 */
public record LoaderConfig(SourceSpec source, String sourceId, int batchSize, int inputWidth, int inputHeight,
                           long seed, ImageFormat imageFormat, Scaling scaling, double evalFraction, int evalImages,
                           String topic, String evalTopic, long maxRecordBytes, long driftFrame, long driftBlendFrames,
                           Duration watchPoll, Duration watchSettle, List<String> classNames,
                           Map<String, String> kafka) {

    /** The {@code ABO_*} keys this service reads. */
    public static final List<String> KEYS = List.of("ABO_SOURCE", "ABO_SOURCE_ID", "ABO_BATCH_SIZE", "ABO_INPUT_SIZE",
            "ABO_SEED", "ABO_IMAGE_ENCODING", "ABO_JPEG_QUALITY", "ABO_SCALING", "ABO_EVAL_FRACTION", "ABO_EVAL_IMAGES",
            "ABO_TOPIC", "ABO_EVAL_TOPIC", "ABO_MAX_RECORD_BYTES", "ABO_DRIFT_FRAME", "ABO_DRIFT_BLEND_FRAMES",
            "ABO_WATCH_POLL_MS", "ABO_WATCH_SETTLE_MS", "ABO_CLASS_NAMES");

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
        Scaling scaling = r.choice("ABO_SCALING", "random", List.of("random", "none")).equals("none")
                ? Scaling.NONE : Scaling.RANDOM;
        double evalFraction = r.fraction("ABO_EVAL_FRACTION", 0.1);
        int evalImages = r.integer("ABO_EVAL_IMAGES", 512, 0, Integer.MAX_VALUE);
        String topic = r.text("ABO_TOPIC", "train.batches");
        String evalTopic = r.text("ABO_EVAL_TOPIC", "eval.batches");
        long maxRecordBytes = r.longValue("ABO_MAX_RECORD_BYTES", 1_048_576, 1024, Integer.MAX_VALUE);
        long driftFrame = r.longValue("ABO_DRIFT_FRAME", 3000, 0, Long.MAX_VALUE / 2);
        long driftBlend = r.longValue("ABO_DRIFT_BLEND_FRAMES", 0, 0, Long.MAX_VALUE / 2);
        Duration poll = Duration.ofMillis(r.longValue("ABO_WATCH_POLL_MS", 1000, 10, 3_600_000));
        Duration settle = Duration.ofMillis(r.longValue("ABO_WATCH_SETTLE_MS", 2000, 0, 3_600_000));
        List<String> classes = r.parse("ABO_CLASS_NAMES", r.text("ABO_CLASS_NAMES", "head"), LoaderConfig::classList);
        if (topic.equals(evalTopic)) {
            throw new IllegalArgumentException("ABO_EVAL_TOPIC: must differ from ABO_TOPIC, both are '" + topic + "'");
        }
        return new LoaderConfig(source, sourceId, batchSize, size[0], size[1], seed, format, scaling, evalFraction,
                evalImages, topic, evalTopic, maxRecordBytes, driftFrame, driftBlend, poll, settle, classes, r.kafka());
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
