package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.Checkpoint;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.train.AnchorPx;
import dev.abo.detector.train.HeldOutEvaluation;
import dev.abo.loader.BatchAssembler;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.registry.RegistryServer;
import dev.abo.trainer.publish.SnapshotPublisher;
import dev.abo.trainer.publish.TestRegistries;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer publishing to a real registry (in-process, on the shared broker) while it trains on tiny batches. */
class PublishIT {

    @TempDir
    Path tmp;

    /** Records the anchors of the model when it is ready and after every step. */
    private static final class Anchors implements TrainerListener {
        final List<List<AnchorPx>> afterStep = Collections.synchronizedList(new ArrayList<>());
        volatile List<AnchorPx> initial;
        final CountDownLatch steps;
        final TrainerConfig config;

        Anchors(TrainerConfig config, int steps) {
            this.config = config;
            this.steps = new CountDownLatch(steps);
        }

        @Override
        public void onModelReady(ModelShape shape, long step, boolean restored, ComputationGraph net) {
            initial = AnchorPx.of(DetectorGraph.anchors(net, config.detectorConfig(shape.inputSize(), shape.classNames().size())));
        }

        @Override
        public void onStep(StepEvent event, ComputationGraph net) {
            afterStep.add(event.result().anchors());
            steps.countDown();
        }
    }

    private static String topic(String name) {
        return "anchors.snapshots." + name + "-" + ProcessHandle.current().pid();
    }

    private Map<String, String> env(String name, String registryUrl, long every, double epsilon) {
        Map<String, String> env = TrainerEnv.tiny(EmbeddedKafkaBroker.sharedForTests().bootstrapServers(), name,
                tmp.resolve(name + "-ckpt"));
        env.put("ABO_CHECKPOINT_EVERY", "1000");
        env.put("ABO_REGISTRY_URL", registryUrl);
        env.put("ABO_REGISTRY_TOKEN", TestRegistries.TOKEN);
        env.put("ABO_MODEL_NAME", name);
        env.put("ABO_PUBLISH_EVERY", String.valueOf(every));
        env.put("ABO_PUBLISH_EPSILON", String.valueOf(epsilon));
        return env;
    }

    /** After the trainer declared its topics (a record sent earlier would auto-create them with 1 partition). */
    private static void feed(TrainerConfig config, String source, int batches) throws InterruptedException {
        ExactlyOnceIT.awaitTopic(EmbeddedKafkaBroker.sharedForTests(), config.trainTopic());
        try (TestBatches out = new TestBatches(EmbeddedKafkaBroker.sharedForTests().bootstrapServers())) {
            BatchAssembler a = TestBatches.assembler(source, 32, 2, 5);
            out.sendAll(config.trainTopic(), List.of(a), batches);
        }
    }

    @Test
    void versionsAppearEveryNStepsWithTheCheckpointsAnchorsOffsetsAndShapeHistogram() throws Exception {
        try (RegistryServer server = TestRegistries.start(tmp.resolve("blobs"), topic("every"), 0)) {
            TrainerConfig config = TrainerConfig.from(env("pub-every", server.baseUrl(), 3, 0));
            Anchors listener = new Anchors(config, 7);
            try (RunningTrainer t = new RunningTrainer(config, listener)) {
                feed(config, "every-src", 7);
                t.await(listener.steps, "7 steps");
                SnapshotPublisher p = t.service.publisher().orElseThrow();
                TestRegistries.await(() -> p.createdCount() == 2 && p.pendingCount() == 0, "2 publications");
                t.stopAndAwait();
            }
            RegistryClient client = TestRegistries.client(server.baseUrl());
            List<RegistryClient.SnapshotInfo> versions = client.list("pub-every");
            assertThat(versions).extracting(RegistryClient.SnapshotInfo::trainingStep).containsExactly(3L, 6L);
            for (RegistryClient.SnapshotInfo v : versions) {
                Path downloaded = tmp.resolve("v" + v.version() + ".zip");
                assertThat(client.download("pub-every", v.version(), downloaded)).isEqualTo(v.checkpointSha256());
                Checkpoint.Loaded loaded = Checkpoint.read(downloaded, false);
                assertThat(loaded.step()).isEqualTo(v.trainingStep());
                assertThat(TrainerCheckpoints.readState(downloaded).step()).isEqualTo(v.trainingStep());
                List<AnchorPx> inCheckpoint = AnchorPx.of(loaded.anchors());
                assertThat(v.anchors()).hasSameSizeAs(inCheckpoint);
                for (int k = 0; k < inCheckpoint.size(); k++) {
                    assertThat(v.anchors().get(k).widthPx()).isCloseTo(inCheckpoint.get(k).w(), within(1e-9));
                    assertThat(v.anchors().get(k).heightPx()).isCloseTo(inCheckpoint.get(k).h(), within(1e-9));
                }
                // the anchors the loop reported after that step
                List<AnchorPx> reported = listener.afterStep.get((int) v.trainingStep() - 1);
                assertThat(SnapshotPublisher.maxLogDelta(reported, inCheckpoint)).isLessThan(1e-6);

                JsonNode j = client.getJson("pub-every", v.version());
                long next = 0;
                for (JsonNode o : j.path("sourceOffsets")) {
                    assertThat(o.path("topic").asText()).isEqualTo(config.trainTopic());
                    next += o.path("nextOffset").asLong();
                }
                assertThat(next).as("one record per step, nothing dead-lettered").isEqualTo(v.trainingStep());
                assertThat(j.path("metrics").path("loss").isNumber()).isTrue();
                assertThat(j.path("metrics").has("ap50")).as("not evaluated").isFalse();
                JsonNode h = j.path("gtShapeHistogram");
                assertThat(h.path("widthBins").asInt()).isEqualTo(32);
                assertThat(h.path("logWidthMax").asDouble()).isCloseTo(Math.log(32), within(1e-12));
                long total = 0;
                for (JsonNode c : h.path("counts")) {
                    total += c.asLong();
                }
                assertThat(total).as("boxes of the steps so far").isPositive();
            }
        }
    }

    @Test
    void afterTheHeldOutSetChangesASnapshotCarriesThePromotedVersionsAp50OnTheNewSetAndTheRegistryComparesThem() throws Exception {
        try (RegistryServer server = TestRegistries.start(tmp.resolve("blobs"), topic("eval"), 0)) {
            Map<String, String> env = env("pub-eval", server.baseUrl(), 3, 0);
            env.put("ABO_EVAL_EVERY", "3");
            env.put("ABO_EVAL_IMAGES", "4");
            TrainerConfig config = TrainerConfig.from(env);
            Anchors steps3 = new Anchors(config, 3);
            Anchors steps6 = new Anchors(config, 6);
            Anchors steps9 = new Anchors(config, 9);
            BatchAssembler heldOut = TestBatches.assembler("held-out", 32, 2, 99);
            BatchAssembler train = TestBatches.assembler("eval-src", 32, 2, 5);
            String window = config.evalTopic() + "-0@";
            double measuredCount;
            double notNeededCount;
            try (RunningTrainer t = new RunningTrainer(config, new TrainerListener() {
                @Override
                public void onStep(StepEvent event, ComputationGraph net) {
                    steps3.onStep(event, net);
                    steps6.onStep(event, net);
                    steps9.onStep(event, net);
                }
            }); TestBatches out = new TestBatches(EmbeddedKafkaBroker.sharedForTests().bootstrapServers())) {
                ExactlyOnceIT.awaitTopic(EmbeddedKafkaBroker.sharedForTests(), config.trainTopic());
                out.send(config.evalTopic(), TestBatches.batch(heldOut, 0));      // held-out offsets 0, 1: 4 images
                out.send(config.evalTopic(), TestBatches.batch(heldOut, 1));
                for (int i = 0; i < 3; i++) {
                    out.send(config.trainTopic(), TestBatches.batch(train, i));
                }
                t.await(steps3.steps, "3 steps");
                SnapshotPublisher p = t.service.publisher().orElseThrow();
                TestRegistries.await(() -> p.createdCount() == 1 && p.pendingCount() == 0, "1 publication");
                out.send(config.evalTopic(), TestBatches.batch(heldOut, 2));      // offsets 2, 3: the next window
                out.send(config.evalTopic(), TestBatches.batch(heldOut, 3));
                for (int i = 3; i < 6; i++) {
                    out.send(config.trainTopic(), TestBatches.batch(train, i));
                }
                t.await(steps6.steps, "6 steps");
                TestRegistries.await(() -> p.createdCount() == 2 && p.pendingCount() == 0, "2 publications");
                for (int i = 6; i < 9; i++) {                                     // the same window again
                    out.send(config.trainTopic(), TestBatches.batch(train, i));
                }
                t.await(steps9.steps, "9 steps");
                TestRegistries.await(() -> p.createdCount() == 3 && p.pendingCount() == 0, "3 publications");
                t.stopAndAwait();
                measuredCount = t.registry.get("abo_trainer_promoted_evaluations").tag("outcome", "measured").counter().count();
                notNeededCount = t.registry.get("abo_trainer_promoted_evaluations").tag("outcome", "not_needed").counter().count();
            }
            RegistryClient client = TestRegistries.client(server.baseUrl());
            JsonNode v1 = client.getJson("pub-eval", 1);
            JsonNode v2 = client.getJson("pub-eval", 2);
            JsonNode v3 = client.getJson("pub-eval", 3);
            // 4 images each: record offset . image index of the first and last one
            String set1 = window + "0.0..1.1";
            String set2 = window + "2.0..3.1";
            assertThat(v1.path("metrics").path("heldOutSet").asText()).isEqualTo(set1);
            assertThat(v2.path("metrics").path("heldOutSet").asText()).isEqualTo(set2);
            assertThat(v3.path("metrics").path("heldOutSet").asText()).isEqualTo(set2);
            // version 1: nothing was promoted, nothing to measure
            assertThat(v1.path("metrics").has("promotedAp50")).isFalse();
            assertThat(v1.path("promotionDecision").path("reason").asText()).isEqualTo("no version of the model was promoted");

            // version 2 is on another set than the promoted version 1: it carries version 1's AP50 on its own set ...
            assertThat(v2.path("metrics").path("promotedVersion").asLong()).isEqualTo(1L);
            double promotedAp = v2.path("metrics").path("promotedAp50").asDouble();
            // ... the same value as version 1's checkpoint evaluated here on the images of held-out records 2 and 3
            Path v1File = tmp.resolve("v1.zip");
            client.download("pub-eval", 1, v1File);
            Checkpoint.Loaded v1Net = Checkpoint.read(v1File, false);
            double independent = heldOutImages(List.of(TestBatches.batch(heldOut, 2), TestBatches.batch(heldOut, 3)))
                    .evaluate(v1Net.net(), v1Net.config(), v1Net.step()).ap50();
            assertThat(promotedAp).isCloseTo(independent, within(1e-12));
            // ... and the registry compared the two on that set (tolerance 0.01)
            double ap2 = v2.path("metrics").path("ap50").asDouble();
            boolean v2Promoted = ap2 >= promotedAp - 0.01 - 1e-12;
            assertThat(v2.path("promotionDecision").path("promoted").asBoolean()).isEqualTo(v2Promoted);
            assertThat(v2.path("promotionDecision").path("reason").asText()).isEqualTo(String.format(Locale.ROOT, v2Promoted
                    ? "AP50 %.4f is within 0.0100 of promoted version 1's %.4f or better (%s)"
                    : "AP50 %.4f is worse than promoted version 1's %.4f by more than 0.0100 (%s)", ap2, promotedAp,
                    "version 1 measured by the trainer on this version's held-out set " + set2));

            // version 3, on the same set as version 2: if 2 was promoted the registry compares with its own AP50 and
            // nothing is measured; if 1 still is, version 1's measurement on that set is reused
            if (v2Promoted) {
                assertThat(v3.path("metrics").has("promotedAp50")).isFalse();
                assertThat(v3.path("promotionDecision").path("reason").asText()).endsWith("(both measured on held-out set " + set2 + ")");
                assertThat(notNeededCount).as("version 1 (nothing promoted) and version 3").isEqualTo(2.0);
            } else {
                assertThat(v3.path("metrics").path("promotedVersion").asLong()).isEqualTo(1L);
                assertThat(v3.path("metrics").path("promotedAp50").asDouble()).isEqualTo(promotedAp);
                assertThat(notNeededCount).as("version 1 (nothing promoted)").isEqualTo(1.0);
            }
            assertThat(measuredCount).isEqualTo(v2Promoted ? 1.0 : 2.0);
            System.out.printf(Locale.ROOT, "PublishIT: v1 AP50 %.4f on %s; v2 AP50 %.4f, v1 on its set %.4f (%s); v3 AP50 %.4f%n",
                    v1.path("metrics").path("ap50").asDouble(), set1, ap2, promotedAp, v2Promoted ? "promoted" : "held",
                    v3.path("metrics").path("ap50").asDouble());
        }
    }

    /** The held-out images of {@code records}, decoded as the trainer decodes them. */
    private static HeldOutEvaluation heldOutImages(List<TrainingBatch> records) throws Exception {
        List<TrainingSample> samples = new ArrayList<>();
        for (TrainingBatch b : records) {
            samples.addAll(TrainingBatchCodec.decode(b).samples());
        }
        List<String> classes = records.get(0).getClassNamesList();
        return HeldOutEvaluation.of(new SampleSource() {
            @Override
            public List<String> classNames() {
                return classes;
            }

            @Override
            public int inputWidth() {
                return 32;
            }

            @Override
            public int inputHeight() {
                return 32;
            }

            @Override
            public TrainingSample sample(long index) {
                return samples.get((int) index);
            }

            @Override
            public long epochLength() {
                return samples.size();
            }
        }, samples.size());
    }

    @Test
    void anchorMovementAboveEpsilonPublishesBetweenTheRegularSteps() throws Exception {
        double epsilon = 0.01;
        try (RegistryServer server = TestRegistries.start(tmp.resolve("blobs"), topic("move"), 0)) {
            Map<String, String> env = env("pub-move", server.baseUrl(), 1000, epsilon);
            env.put("ABO_ANCHOR_LR", "0.01");
            TrainerConfig config = TrainerConfig.from(env);
            Anchors listener = new Anchors(config, 10);
            List<Long> expected = new ArrayList<>();
            try (RunningTrainer t = new RunningTrainer(config, listener)) {
                feed(config, "move-src", 10);
                t.await(listener.steps, "10 steps");
                // the rule, replayed on the anchors the loop reported
                List<AnchorPx> baseline = listener.initial;
                for (int s = 1; s <= listener.afterStep.size(); s++) {
                    if (SnapshotPublisher.maxLogDelta(baseline, listener.afterStep.get(s - 1)) > epsilon) {
                        expected.add((long) s);
                        baseline = listener.afterStep.get(s - 1);
                    }
                }
                SnapshotPublisher p = t.service.publisher().orElseThrow();
                TestRegistries.await(() -> p.createdCount() == expected.size() && p.pendingCount() == 0,
                        expected.size() + " publications");
                t.stopAndAwait();
            }
            assertThat(expected).as("the anchors moved more than epsilon in 10 steps").isNotEmpty();
            List<RegistryClient.SnapshotInfo> versions = TestRegistries.client(server.baseUrl()).list("pub-move");
            assertThat(versions).extracting(RegistryClient.SnapshotInfo::trainingStep).containsExactlyElementsOf(expected);
            List<AnchorPx> previous = listener.initial;
            for (RegistryClient.SnapshotInfo v : versions) {
                List<AnchorPx> stored = v.anchors().stream().map(a -> new AnchorPx(a.widthPx(), a.heightPx())).toList();
                assertThat(SnapshotPublisher.maxLogDelta(previous, stored)).isGreaterThan(epsilon);
                previous = stored;
            }
        }
    }

    @Test
    void trainingGoesOnWhileTheRegistryIsDownAndThePublicationsArriveWhenItIsBack() throws Exception {
        int port = TestRegistries.freePort();
        TrainerConfig config = TrainerConfig.from(env("pub-down", "http://127.0.0.1:" + port, 2, 0));
        Anchors listener = new Anchors(config, 6);
        try (RunningTrainer t = new RunningTrainer(config, listener)) {
            feed(config, "down-src", 6);
            t.await(listener.steps, "6 steps with the registry down");
            SnapshotPublisher p = t.service.publisher().orElseThrow();
            TestRegistries.await(() -> p.failureCount() >= 1, "a failed publication");
            assertThat(t.service.step()).isEqualTo(6);
            assertThat(p.createdCount()).isZero();
            assertThat(p.pendingCount()).isEqualTo(3);
            try (RegistryServer server = TestRegistries.start(tmp.resolve("blobs"), topic("down"), port)) {
                TestRegistries.await(() -> p.createdCount() == 3 && p.pendingCount() == 0, "3 publications");
                assertThat(TestRegistries.client(server.baseUrl()).list("pub-down"))
                        .extracting(RegistryClient.SnapshotInfo::trainingStep).containsExactly(2L, 4L, 6L);
                assertThat(p.droppedCount()).isZero();
                t.stopAndAwait();
            }
        }
    }
}
