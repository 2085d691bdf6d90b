package dev.abo.trainer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.abo.platform.kafka.KafkaClients;

/** Settings of a tiny, fast trainer for the integration tests: 32 px input, backbone 4-8-8 (stride 4, grid 8). */
final class TrainerEnv {
    private TrainerEnv() {
    }

    static Map<String, String> tiny(String bootstrap, String name, Path checkpoints) {
        Map<String, String> env = new HashMap<>();
        env.put(KafkaClients.BOOTSTRAP_KEY, bootstrap);
        env.put("ABO_TRAIN_TOPIC", name + ".train");
        env.put("ABO_EVAL_TOPIC", name + ".eval");
        env.put("ABO_GROUP_ID", name + "-trainer");
        env.put("ABO_BACKBONE", "4,8,8");
        env.put("ABO_CHECKPOINT_DIR", checkpoints.toString());
        env.put("ABO_CHECKPOINT_EVERY", "4");
        env.put("ABO_EVAL_EVERY", "0");
        env.put("ABO_WARMUP_STEPS", "6");
        env.put("ABO_SCHEDULE_STEPS", "100");
        env.put("ABO_POLL_TIMEOUT_MS", "100");
        env.put("METRICS_PORT", "0");
        return env;
    }
}
