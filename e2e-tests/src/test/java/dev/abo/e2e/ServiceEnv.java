package dev.abo.e2e;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.geometry.Shape;

/**
 * The settings of each service in the end-to-end system, as the environment its {@code *Main} reads: a tiny
 * model so that the whole run stays within a few minutes on 2 shared cores (64 px input, backbone 8-16-32 =
 * stride 4, a 16x16 grid, 3 anchors from the paper's uniform table, batches of 8), and short checkpoint,
 * evaluation and publication intervals.
 *
 * <p>The data is one still camera ({@code camera:drift}: mixed objects, then heads from frame
 * {@link #DRIFT_SAMPLE} on, i.e. from training batch {@link #DRIFT_BATCH}). It holds out its own frames as they come:
 * {@link #HELD_OUT_BATCHES} batches ({@link #HELD_OUT_IMAGES} frames, the trainer's window) first, then again after
 * every {@link #TRAIN_BETWEEN_HELD_OUT} training batches; so the second held-out set, of the new scene, follows
 * training batch {@link #TRAIN_BETWEEN_HELD_OUT} - 1.
 */
final class ServiceEnv {

    static final String MODEL = "e2e";
    static final String TOKEN = "e2e-registry-token";
    static final String CAMERA = "camera-1";
    static final int INPUT_SIZE = 64;
    static final int BATCH = 8;
    static final int NUM_ANCHORS = 3;
    /** Three blocks: stride 4, a 16x16 grid at 64 px. */
    static final String BACKBONE = "8,16,32";
    static final int STRIDE = 4;
    static final int HELD_OUT_IMAGES = 48;
    static final int HELD_OUT_BATCHES = HELD_OUT_IMAGES / BATCH;
    /**
     * Training batches between two held-out sets: the loader sends training batch 189, and the second set after it,
     * only once fewer than {@link #MAX_LAG_BATCHES} of its batches are uncommitted, i.e. after the trainer's checkpoint
     * at step 150, so the first version evaluated on the new set is at step 160 or later: more than 80 steps after
     * the drift. Versions 1-3 (steps 20, 40, 60) are all evaluated on the first set.
     */
    static final int TRAIN_BETWEEN_HELD_OUT = 190;
    static final int DRIFT_BATCH = 60;
    /** The first held-out set takes the stream's first frames: training batch {@link #DRIFT_BATCH} is stream batch 66. */
    static final int DRIFT_SAMPLE = (HELD_OUT_BATCHES + DRIFT_BATCH) * BATCH;
    static final int CHECKPOINT_EVERY = 10;
    static final int PUBLISH_EVERY = 20;
    /** The loader pauses this many batches ahead of the trainer's last commit (more than a checkpoint interval + prefetch). */
    static final int MAX_LAG_BATCHES = 40;

    /** The trainer's {@code group.instance.id}, as a StatefulSet's pod name would be. */
    static final String TRAINER_INSTANCE_ID = "trainer-0";

    private ServiceEnv() {
    }

    /** The anchors a new model starts with: the first {@link #NUM_ANCHORS} of the uniform table at the stride. */
    static List<Shape> initialAnchors() {
        return AnchorInit.UNIFORM.anchors(INPUT_SIZE, INPUT_SIZE, STRIDE).shapes().subList(0, NUM_ANCHORS);
    }

    static Map<String, String> registry(String bootstrap, int port, Path blobs) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("ABO_REGISTRY_PORT", String.valueOf(port));
        env.put("ABO_REGISTRY_BLOB_DIR", blobs.toString());
        env.put("ABO_REGISTRY_TOKEN", TOKEN);
        return env;
    }

    static Map<String, String> trainer(String bootstrap, int metricsPort, Path checkpoints, String registryUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        // static membership: the restarted trainer replaces its SIGKILLed predecessor (the same id) at once; a dynamic
        // member would wait until the dead one's session (45 s by default, kept here) had expired
        env.put("ABO_GROUP_INSTANCE_ID", TRAINER_INSTANCE_ID);
        env.put("ABO_INPUT_SIZE", String.valueOf(INPUT_SIZE));
        env.put("ABO_BACKBONE", BACKBONE);
        env.put("ABO_NUM_ANCHORS", String.valueOf(NUM_ANCHORS));
        env.put("ABO_ANCHORS_INIT", "uniform");
        env.put("ABO_WARMUP_STEPS", "20");
        env.put("ABO_SCHEDULE_STEPS", "1000");
        env.put("ABO_CHECKPOINT_DIR", checkpoints.toString());
        env.put("ABO_CHECKPOINT_EVERY", String.valueOf(CHECKPOINT_EVERY));
        env.put("ABO_EVAL_EVERY", String.valueOf(PUBLISH_EVERY));       // every snapshot carries AP50
        env.put("ABO_EVAL_IMAGES", String.valueOf(HELD_OUT_IMAGES));
        env.put("ABO_POLL_TIMEOUT_MS", "200");
        env.put("ABO_REGISTRY_URL", registryUrl);
        env.put("ABO_REGISTRY_TOKEN", TOKEN);
        env.put("ABO_MODEL_NAME", MODEL);
        env.put("ABO_PUBLISH_EVERY", String.valueOf(PUBLISH_EVERY));
        env.put("ABO_PUBLISH_EPSILON", "0");
        env.put("METRICS_BIND_HOST", "127.0.0.1");
        env.put("METRICS_PORT", String.valueOf(metricsPort));
        return env;
    }

    static Map<String, String> inference(String bootstrap, int port, int metricsPort, Path models, String registryUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("ABO_INFERENCE_PORT", String.valueOf(port));
        env.put("ABO_INFERENCE_WORKERS", "1");
        env.put("ABO_INFERENCE_MODEL", MODEL);
        env.put("ABO_INFERENCE_MODEL_DIR", models.toString());
        env.put("ABO_REGISTRY_URL", registryUrl);
        env.put("METRICS_BIND_HOST", "127.0.0.1");
        env.put("METRICS_PORT", String.valueOf(metricsPort));
        return env;
    }

    /** The camera: endless, drifting at {@link #DRIFT_SAMPLE}, holding out its own frames as they come. */
    static Map<String, String> camera(String bootstrap, int metricsPort) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("ABO_SOURCE", "camera:drift");
        env.put("ABO_SOURCE_ID", CAMERA);
        env.put("ABO_SEED", "1");
        env.put("ABO_INPUT_SIZE", String.valueOf(INPUT_SIZE));
        env.put("ABO_BATCH_SIZE", String.valueOf(BATCH));
        env.put("ABO_DRIFT_FRAME", String.valueOf(DRIFT_SAMPLE));
        // ABO_AUGMENT stays yolov2 and ABO_SCALING fit (the defaults for a camera: the whole frame stretched to the
        // input as the held-out frames are, then jittered): the scenarios' thresholds were checked with them
        env.put("ABO_EVAL_IMAGES", String.valueOf(HELD_OUT_IMAGES));
        env.put("ABO_EVAL_EVERY_BATCHES", String.valueOf(TRAIN_BETWEEN_HELD_OUT));
        env.put("ABO_MAX_LAG_BATCHES", String.valueOf(MAX_LAG_BATCHES));
        env.put("ABO_LAG_POLL_MS", "200");
        env.put("METRICS_BIND_HOST", "127.0.0.1");
        env.put("METRICS_PORT", String.valueOf(metricsPort));
        return env;
    }
}
