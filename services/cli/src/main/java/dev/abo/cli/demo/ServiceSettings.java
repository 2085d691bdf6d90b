package dev.abo.cli.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.abo.core.data.VocReader;
import dev.abo.loader.HeldOutRounds;
import dev.abo.platform.kafka.KafkaClients;

/**
 * The settings of every service of the demo, each as the literal {@code Map} its own {@code *Config.from} reads
 * (the same keys as its environment variables, never the process environment, so nothing set in the shell leaks
 * in and the services cannot clash over an {@code ABO_*} key). All data lives under {@link DemoSettings#out()}.
 */
public final class ServiceSettings {

    /** The registry's model name the learned trainer publishes and the inference service follows. */
    public static final String MODEL = "demo";
    public static final String LEARNED_GROUP = "demo-trainer-learned";
    public static final String FIXED_GROUP = "demo-trainer-fixed";
    public static final String LEARNED_DIR = "trainer-learned";
    public static final String FIXED_DIR = "trainer-fixed";
    public static final String CAMERA = "camera";
    public static final String VOC = "voc";
    /**
     * The camera's training batches between two of its held-out sets, per held-out batch of a set: 7, so a new
     * held-out set of the current scene follows every {@code 7 x evalImages} training frames and an eighth of the
     * camera's frames is held out.
     */
    public static final int TRAINING_PER_HELD_OUT = 7;
    /** A drift frame no run reaches: the camera shows mixed objects until it is restarted with the real one. */
    public static final long NO_DRIFT = Long.MAX_VALUE / 4;

    private final DemoSettings s;
    private final String bootstrap;

    public ServiceSettings(DemoSettings settings, String bootstrap) {
        this.s = settings;
        this.bootstrap = bootstrap;
    }

    /** The camera's classes (mixed objects, then head), then VOC's 20: one model for both sources. */
    public static List<String> classNames(long seed) {
        List<String> names = new ArrayList<>(CameraScenes.phase(seed, false).classNames());
        for (String c : VocReader.CLASSES) {
            if (!names.contains(c)) {
                names.add(c);
            }
        }
        return names;
    }

    public Path dir(String name) {
        return s.out().resolve(name);
    }

    public Map<String, String> registry() {
        Map<String, String> m = kafka();
        m.put("ABO_REGISTRY_BIND_HOST", "127.0.0.1");
        m.put("ABO_REGISTRY_PORT", "0");
        m.put("ABO_REGISTRY_BLOB_DIR", dir("registry").toString());
        m.put("ABO_REGISTRY_TOKEN", s.registryToken());
        m.put("ABO_PROMOTE_TOLERANCE", String.valueOf(s.promoteTolerance()));
        return m;
    }

    public Map<String, String> inference(String registryUrl) {
        Map<String, String> m = kafka();
        m.put("ABO_INFERENCE_BIND_HOST", "127.0.0.1");
        m.put("ABO_INFERENCE_PORT", "0");
        m.put("ABO_INFERENCE_WORKERS", "1");
        m.put("ABO_INFERENCE_MODEL", MODEL);
        m.put("ABO_INFERENCE_MODEL_DIR", dir("inference-models").toString());
        m.put("ABO_REGISTRY_URL", registryUrl);
        return m;
    }

    /** The trainer that learns its anchors and publishes every evaluated snapshot to the registry. */
    public Map<String, String> learnedTrainer(DemoPlan plan, String registryUrl) {
        Map<String, String> m = trainer(plan, LEARNED_GROUP, "learned", LEARNED_DIR);
        m.put("ABO_REGISTRY_URL", registryUrl);
        m.put("ABO_REGISTRY_TOKEN", s.registryToken());
        m.put("ABO_MODEL_NAME", MODEL);
        m.put("ABO_PUBLISH_EVERY", String.valueOf(s.evalEvery()));
        m.put("ABO_PUBLISH_EPSILON", "0");
        return m;
    }

    /** The baseline: the same network, initial anchors and stream, anchors fixed, its own group; it does not publish. */
    public Map<String, String> fixedTrainer(DemoPlan plan) {
        return trainer(plan, FIXED_GROUP, "fixed", FIXED_DIR);
    }

    private Map<String, String> trainer(DemoPlan plan, String group, String mode, String dir) {
        Map<String, String> m = kafka();
        m.put("ABO_GROUP_ID", group);
        m.put("ABO_INPUT_SIZE", String.valueOf(s.inputSize()));
        m.put("ABO_CLASS_NAMES", String.join(",", classNames(s.seed())));
        m.put("ABO_BACKBONE", s.backbone().stream().map(String::valueOf).collect(Collectors.joining(",")));
        m.put("ABO_ANCHORS_INIT", s.init().cliName());
        m.put("ABO_ANCHORS_MODE", mode);
        m.put("ABO_WARMUP_STEPS", String.valueOf(plan.warmupSteps()));
        m.put("ABO_LAMBDA_AFTER", "1");
        m.put("ABO_SEED", String.valueOf(s.seed()));
        m.put("ABO_CHECKPOINT_DIR", dir(dir).toString());
        m.put("ABO_CHECKPOINT_EVERY", String.valueOf(plan.checkpointEvery()));
        m.put("ABO_EVAL_EVERY", String.valueOf(s.evalEvery()));
        m.put("ABO_EVAL_IMAGES", String.valueOf(s.evalImages()));
        m.put("ABO_POLL_TIMEOUT_MS", "200");
        return m;
    }

    /**
     * The camera loader: still camera (no augmentation), mixed objects until {@code driftFrame}, heads from it on.
     * It holds out its own frames as they come ({@link #cameraRounds}): a set of {@code evalImages} (the trainers'
     * window) first and again after every {@link #TRAINING_PER_HELD_OUT} times as many training frames, so after the
     * drift the trainers' held-out window moves to the new scene with the camera's next set.
     */
    public Map<String, String> camera(DemoPlan plan, long driftFrame) {
        Map<String, String> m = loader(CAMERA, "camera:drift", plan.cameraRate(), plan);
        m.put("ABO_AUGMENT", "none");
        m.put("ABO_DRIFT_FRAME", String.valueOf(driftFrame));
        m.put("ABO_EVAL_IMAGES", String.valueOf(s.evalImages()));
        m.put("ABO_EVAL_EVERY_BATCHES", String.valueOf(cameraRounds().trainBatches()));
        return m;
    }

    /** Which of the camera's batches are held out: {@code evalImages} in whole batches, then 7 times as many training ones. */
    public HeldOutRounds cameraRounds() {
        int heldOut = HeldOutRounds.batchesFor(s.evalImages(), s.batch());
        return new HeldOutRounds(s.batch(), heldOut, (long) TRAINING_PER_HELD_OUT * heldOut);
    }

    /** The VOC2007 train split, YOLOv2 augmentation; no held-out stream (the trainers evaluate on the camera). */
    public Map<String, String> voc(DemoPlan plan) {
        Map<String, String> m = loader(VOC, "dataset:voc:" + s.vocDir() + ":train", plan.vocRate(), plan);
        m.put("ABO_EVAL_FRACTION", "0");
        return m;
    }

    private Map<String, String> loader(String id, String source, double rate, DemoPlan plan) {
        Map<String, String> m = kafka();
        m.put("ABO_SOURCE", source);
        m.put("ABO_SOURCE_ID", id);
        m.put("ABO_INPUT_SIZE", String.valueOf(s.inputSize()));
        m.put("ABO_BATCH_SIZE", String.valueOf(s.batch()));
        m.put("ABO_SEED", String.valueOf(s.seed()));
        m.put("ABO_MAX_BATCHES_PER_S", String.format(Locale.ROOT, "%.4f", rate));
        m.put("ABO_MAX_LAG_BATCHES", String.valueOf(plan.lagCap()));
        m.put("ABO_TRAINER_GROUP", LEARNED_GROUP);
        m.put("ABO_LAG_POLL_MS", "500");
        return m;
    }

    private Map<String, String> kafka() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KafkaClients.BOOTSTRAP_KEY, bootstrap);
        return m;
    }
}
