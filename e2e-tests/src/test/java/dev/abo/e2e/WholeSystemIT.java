package dev.abo.e2e;

import static dev.abo.e2e.ServiceEnv.BATCH;
import static dev.abo.e2e.ServiceEnv.CAMERA;
import static dev.abo.e2e.ServiceEnv.CHECKPOINT_EVERY;
import static dev.abo.e2e.ServiceEnv.DRIFT_BATCH;
import static dev.abo.e2e.ServiceEnv.HELD_OUT_IMAGES;
import static dev.abo.e2e.ServiceEnv.MODEL;
import static dev.abo.e2e.ServiceEnv.NUM_ANCHORS;
import static dev.abo.e2e.ServiceEnv.PUBLISH_EVERY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.abo.core.geometry.Shape;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.synth.HeadsScenes;
import dev.abo.platform.kafka.DeadLetters;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.platform.topic.Topics;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.GetModelRequest;
import dev.abo.proto.detection.v1.GetModelResponse;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.trainer.TrainedLedger;
import dev.abo.trainer.TrainerCheckpoints;
import dev.abo.trainer.TrainerState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The issue's five scenarios on one running system ({@link RunningSystem}), in the order a life of the system
 * has them: the camera's batches flow and versions appear (1); poison and bad requests are refused (5); the
 * camera's scene drifts and a model for the new scene is promoted and hot-swapped under a client (2); the
 * trainer is SIGKILLed and restarted (3); the registry is restarted (4). Each scenario uses what the ones
 * before it left (that is the point of one system), so they run in this order and a failure makes the later
 * ones fail too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeSystemIT {

    private static final Duration LONG = Duration.ofMinutes(5);
    /**
     * Training steps on the new scene before the client loop starts; the camera's held-out set of the new scene comes
     * later ({@link ServiceEnv#TRAIN_BETWEEN_HELD_OUT}), so the version promoted on it has more (the anchors need time
     * to move).
     */
    private static final int POST_DRIFT_STEPS = 80;
    private static final String POISON_KEY = "e2e-poison";
    /** The camera's class id of a head (its classes are the mixed objects', then head). */
    private static final int HEAD_CLASS = 5;

    private RunningSystem system;
    private RegistryClient registry;
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long testStart;
    /** The promoted version when the first scenario ended. */
    private long promotedBeforeDrift;

    @BeforeAll
    void startTheSystem() {
        long t0 = System.nanoTime();
        system = RunningSystem.start();
        registry = system.registryClient();
        seconds.put("start", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopTheSystem() {
        long t0 = System.nanoTime();
        if (system != null) {
            system.close();
        }
        seconds.put("stop", (System.nanoTime() - t0) / 1e9);
        StringBuilder b = new StringBuilder("WholeSystemIT seconds:");
        seconds.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.1f", k, v)));
        b.append(String.format(Locale.ROOT, " total %.1f", seconds.values().stream().mapToDouble(Double::doubleValue).sum()));
        System.out.println(b);
    }

    @BeforeEach
    void clockIn() {
        testStart = System.nanoTime();
    }

    @AfterEach
    void clockOut(TestInfo info) {
        seconds.put(info.getTestMethod().orElseThrow().getName().replaceAll("_.*", ""), (System.nanoTime() - testStart) / 1e9);
    }

    // ---- 1 ------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void scenario1_batchesFlowTheTrainerLearnsVersionsIncreaseAndInferenceServesThePromotedOne() {
        List<RegistryClient.SnapshotInfo> versions = Await.value("3 published versions", LONG, () -> {
            List<RegistryClient.SnapshotInfo> l = registry.list(MODEL);
            return l.size() >= 3 ? Optional.of(l) : Optional.empty();
        }, () -> system.logTails(20));

        // one version every PUBLISH_EVERY steps, numbered from 1, each evaluated on the camera's 48 held-out
        // frames: 6 records of 8 images at offsets 0..5 of eval.batches
        for (int i = 0; i < 3; i++) {
            RegistryClient.SnapshotInfo v = versions.get(i);
            assertThat(v.version()).isEqualTo(i + 1L);
            assertThat(v.trainingStep()).isEqualTo((i + 1L) * PUBLISH_EVERY);
            JsonNode j = registry.getJson(MODEL, v.version());
            assertThat(j.path("metrics").path("heldOutSet").asText()).isEqualTo(Topics.EVAL_BATCHES.name() + "-0@0.0..5.7");
            assertThat(j.path("metrics").path("ap50").isNumber()).isTrue();
            // one training record per step and nothing else on the topic yet: the offsets add up to the step
            long consumed = 0;
            for (JsonNode o : j.path("sourceOffsets")) {
                assertThat(o.path("topic").asText()).isEqualTo(Topics.TRAIN_BATCHES.name());
                consumed += o.path("nextOffset").asLong();
            }
            assertThat(consumed).isEqualTo(v.trainingStep());
        }
        assertThat(HELD_OUT_IMAGES).isEqualTo(6 * BATCH);

        // the trainer learns: the mean training loss of steps 41-60 is below that of steps 1-20, and the anchors fit
        // the held-out boxes better than the initial (uniform) ones. The anchor IoU each version reports is
        // recomputed here from the held-out records and the version's anchors (an independent computation).
        double loss1 = registry.getJson(MODEL, 1).path("metrics").path("loss").asDouble();
        double loss3 = registry.getJson(MODEL, 3).path("metrics").path("loss").asDouble();
        List<Shape> heldOutBoxes = AnchorMatch.boxShapes(TopicRecords.batches(system.bootstrap(), Topics.EVAL_BATCHES.name(), CAMERA));
        List<Double> reportedIou = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double reported = registry.getJson(MODEL, i + 1).path("metrics").path("avgAnchorIou").asDouble();
            assertThat(reported).isCloseTo(AnchorMatch.meanBestIou(heldOutBoxes, AnchorMatch.anchors(versions.get(i))), within(1e-9));
            reportedIou.add(reported);
        }
        double initialIou = AnchorMatch.meanBestIou(heldOutBoxes, ServiceEnv.initialAnchors());
        System.out.printf(Locale.ROOT, "scenario 1: mean loss v1 %.3f v3 %.3f; AP50 %s; held-out anchor IoU initial %.3f, v1-v3 %s%n",
                loss1, loss3, versions.subList(0, 3).stream().map(v -> v.ap50().orElse(Double.NaN)).toList(), initialIou, reportedIou);
        assertThat(loss3).isLessThan(0.9 * loss1);
        assertThat(reportedIou.get(2)).isGreaterThan(initialIou + 0.05);

        // batches flowed from the loader through the trainer
        assertThat(PrometheusText.scrape(system.cameraMetricsUrl()).sum("abo_loader_batches_total",
                Map.of("topic", Topics.TRAIN_BATCHES.name()))).isGreaterThanOrEqualTo(3.0 * PUBLISH_EVERY);
        PrometheusText trainer = system.trainerMetrics();
        assertThat(trainer.sum("abo_trainer_steps_total")).isGreaterThanOrEqualTo(3.0 * PUBLISH_EVERY);
        assertThat(trainer.sum("abo_trainer_dead_letters_total")).isZero();

        // the inference service serves the promoted version: its anchors, and answers Detect with it
        RegistryClient.Pointer pointer = awaitInferenceServesThePromoted();
        GetModelResponse served = system.detection().withDeadlineAfter(10, TimeUnit.SECONDS).getModel(GetModelRequest.getDefaultInstance());
        RegistryClient.SnapshotInfo promoted = registry.get(MODEL, pointer.version());
        assertThat(served.getModelName()).isEqualTo(MODEL);
        assertThat(served.getInputWidthPx()).isEqualTo(ServiceEnv.INPUT_SIZE);
        assertThat(served.getAnchorWidthsPxCount()).isEqualTo(NUM_ANCHORS);
        for (int k = 0; k < NUM_ANCHORS; k++) {
            assertThat(served.getAnchorWidthsPx(k)).isCloseTo(promoted.anchors().get(k).widthPx(), within(1e-6));
            assertThat(served.getAnchorHeightsPx(k)).isCloseTo(promoted.anchors().get(k).heightPx(), within(1e-6));
        }
        DetectResponse r = system.detection().withDeadlineAfter(10, TimeUnit.SECONDS)
                .detect(DetectRequest.newBuilder().setImage(ByteString.copyFrom(frame())).setRequestId("s1").build());
        assertThat(r.getModelName()).isEqualTo(MODEL);
        assertThat(r.getModelVersion()).isGreaterThanOrEqualTo(pointer.version());   // the pointer may have moved on since
        assertThat(r.getRequestId()).isEqualTo("s1");
        assertThat(r.getImageWidthPx()).isEqualTo(320);
        assertThat(r.getImageHeightPx()).isEqualTo(240);
        promotedBeforeDrift = pointer.version();
    }

    // ---- 5 ------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void scenario5_poisonRecordsAndBadRequestsAreRejectedWithClearErrorsAndCounted() throws Exception {
        String train = Topics.TRAIN_BATCHES.name();
        TrainingBatch template = TrainingBatch.parseFrom(TopicRecords.read(system.bootstrap(), train).stream()
                .filter(r -> CAMERA.equals(r.key())).findFirst().orElseThrow().value());
        TrainingBatch nan = template.toBuilder().setImages(0, template.getImages(0).toBuilder().addBoxes(ObjectBox.newBuilder()
                .setX1Px(1).setY1Px(1).setX2Px(Float.NaN).setY2Px(5).setClassId(0))).build();
        // what each poison record is, and a phrase its dead-letter reason must contain
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("UNDECODABLE", "not a protobuf \u00ff\u00fe".getBytes(UTF_8));
        poison.put("SCHEMA_VERSION", template.toBuilder().setSchemaVersion(2).build().toByteArray());
        poison.put("BOX", nan.toByteArray());
        Map<String, String> phrase = Map.of("UNDECODABLE", "cannot decode", "SCHEMA_VERSION", "unknown schema_version 2",
                "BOX", "non-finite coordinate");

        PrometheusText before = system.trainerMetrics();
        Map<Long, String> kindAtOffset = new HashMap<>();
        int partition = -1;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                system.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> p : poison.entrySet()) {
                RecordMetadata m = producer.send(new ProducerRecord<>(train, POISON_KEY, p.getValue())).get(30, TimeUnit.SECONDS);
                kindAtOffset.put(m.offset(), p.getKey());
                partition = m.partition();
            }
        }
        Await.until("3 dead letters counted by the trainer", LONG,
                () -> system.trainerMetrics().sum("abo_trainer_dead_letters_total", Map.of("topic", train)) == 3,
                () -> system.trainer().logTail(30));
        PrometheusText after = system.trainerMetrics();
        for (String kind : poison.keySet()) {
            Map<String, String> labels = Map.of("topic", train, "kind", kind);
            assertThat(after.sum("abo_trainer_dead_letters_total", labels) - before.sum("abo_trainer_dead_letters_total", labels))
                    .as("dead letters of kind %s", kind).isEqualTo(1.0);
        }
        assertThat(after.sum("abo_dlq_records_total")).isEqualTo(3.0);

        // the dead-letter topic holds exactly the poison, byte for byte, with where it came from and why
        List<ConsumerRecord<String, byte[]>> dlq = TopicRecords.read(system.bootstrap(), train + ".dlq");
        assertThat(dlq).hasSize(3);
        for (ConsumerRecord<String, byte[]> d : dlq) {
            assertThat(header(d, DeadLetters.SOURCE_TOPIC)).isEqualTo(train);
            assertThat(Integer.parseInt(header(d, DeadLetters.SOURCE_PARTITION))).isEqualTo(partition);
            String kind = kindAtOffset.get(Long.parseLong(header(d, DeadLetters.SOURCE_OFFSET)));
            assertThat(kind).as("source offset of a dead letter").isNotNull();
            assertThat(d.value()).isEqualTo(poison.get(kind));
            assertThat(header(d, DeadLetters.ERROR_MESSAGE)).as("reason of %s", kind).contains(phrase.get(kind));
        }

        // bad gRPC requests: INVALID_ARGUMENT with a message, counted by code
        Map<String, String> detectInvalid = Map.of("method", "Detect", "code", Status.Code.INVALID_ARGUMENT.name());
        double invalidBefore = system.inferenceMetrics().sum("abo_inference_requests_total", detectInvalid);
        assertInvalid(DetectRequest.newBuilder().build(), "image is empty");
        assertInvalid(DetectRequest.newBuilder().setImage(ByteString.copyFromUtf8("these are no image bytes")).build(),
                "cannot be decoded as JPEG or PNG");
        assertInvalid(DetectRequest.newBuilder().setImage(ByteString.copyFrom(frame())).setScoreThreshold(1.5f).build(),
                "score_threshold must be in [0, 1], got 1.5");
        Await.until("3 INVALID_ARGUMENT answers counted", LONG,
                () -> system.inferenceMetrics().sum("abo_inference_requests_total", detectInvalid) == invalidBefore + 3,
                () -> system.inference().logTail(20));
    }

    // ---- 2 ------------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void scenario2_afterTheDriftTheAnchorsMoveToTheNewShapesAndANewVersionIsHotSwappedWithoutAFailedRequest() {
        long trained = DRIFT_BATCH + POST_DRIFT_STEPS;
        Await.until("step " + trained + " (" + POST_DRIFT_STEPS + " steps on the new scene)", LONG,
                () -> system.trainerMetrics().sum("abo_trainer_step") >= trained, () -> system.trainer().logTail(20));
        RegistryClient.SnapshotInfo lastBeforeDrift = registry.list(MODEL).stream()
                .filter(v -> v.trainingStep() <= DRIFT_BATCH).reduce((a, b) -> b).orElseThrow();
        assertThat(lastBeforeDrift.trainingStep()).isEqualTo(DRIFT_BATCH);

        // the camera's second held-out set, of the new scene: its 6 records follow the first set's 6 on eval.batches
        String newWindow = Topics.EVAL_BATCHES.name() + "-0@6.0..11.7";
        long newVersion;
        DetectLoop.Result seen;
        try (DetectLoop loop = new DetectLoop(system::detection, frame(), Duration.ofMillis(50))) {
            Await.until("the client loop answered", LONG, () -> loop.okCount() >= 5, () -> system.inference().logTail(20));
            // a version evaluated on the new frames is promoted once its AP50 is not worse than the promoted (old
            // scene) version's on the same frames, which the trainer measured and sent with it
            newVersion = Await.value("a version evaluated on " + newWindow + " promoted", LONG, () -> {
                RegistryClient.Pointer p = registry.promoted(MODEL);
                String window = registry.getJson(MODEL, p.version()).path("metrics").path("heldOutSet").asText();
                return window.equals(newWindow) ? Optional.of(p.version()) : Optional.empty();
            }, () -> system.trainer().logTail(20));
            Await.until("the client loop answered by version " + newVersion, LONG,
                    () -> loop.versionsSoFar().contains(newVersion), () -> system.inference().logTail(20));
            seen = loop.stop();
        }
        System.out.printf(Locale.ROOT, "scenario 2: %d requests, versions seen %s, failures %s%n", seen.ok(), seen.versionsInOrder(),
                seen.failures());
        assertThat(seen.failures()).isEmpty();
        assertThat(seen.versionsInOrder()).hasSizeGreaterThanOrEqualTo(2).contains(newVersion);
        RegistryClient.SnapshotInfo promoted = registry.get(MODEL, newVersion);
        assertThat(promoted.trainingStep()).isGreaterThan(trained);
        assertThat(newVersion).isGreaterThan(promotedBeforeDrift);
        // the first version promoted on the new frames was compared with the old promoted version on those frames
        JsonNode firstOnNewFrames = registry.list(MODEL).stream().map(v -> registry.getJson(MODEL, v.version()))
                .filter(j -> j.path("metrics").path("heldOutSet").asText().equals(newWindow)
                        && j.path("promotionDecision").path("promoted").asBoolean())
                .findFirst().orElseThrow();
        long comparedWith = firstOnNewFrames.path("metrics").path("promotedVersion").asLong();
        System.out.printf(Locale.ROOT, "scenario 2: v%d promoted on %s: %s%n", firstOnNewFrames.path("version").asLong(), newWindow,
                firstOnNewFrames.path("promotionDecision").path("reason").asText());
        assertThat(comparedWith).isBetween(promotedBeforeDrift, firstOnNewFrames.path("version").asLong() - 1);
        assertThat(firstOnNewFrames.path("promotionDecision").path("reason").asText())
                .endsWith(" of promoted version " + comparedWith + "'s " + String.format(Locale.ROOT, "%.4f",
                        firstOnNewFrames.path("metrics").path("promotedAp50").asDouble()) + " or better (version " + comparedWith
                        + " measured by the trainer on this version's held-out set " + newWindow + ")");
        // that set is frames of the new scene only (heads), none of which was trained on
        List<TrainingBatch> heldOut = TopicRecords.batches(system.bootstrap(), Topics.EVAL_BATCHES.name(), CAMERA);
        assertThat(heldOut).extracting(TrainingBatch::getSequenceNumber)
                .startsWith(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(heldOut.subList(6, 12)).allSatisfy(b -> assertThat(b.getImagesList()).allSatisfy(im ->
                assertThat(im.getBoxesList()).extracting(ObjectBox::getClassId).containsOnly(HEAD_CLASS)));
        assertThat(heldOut.subList(0, 6)).allSatisfy(b -> assertThat(b.getImagesList()).allSatisfy(im ->
                assertThat(im.getBoxesList()).extracting(ObjectBox::getClassId).doesNotContain(HEAD_CLASS)));

        // the anchors moved toward the k-means anchors of the boxes after the drift
        List<TrainingBatch> camera = TopicRecords.batches(system.bootstrap(), Topics.TRAIN_BATCHES.name(), CAMERA);
        List<Shape> afterDrift = AnchorMatch.boxShapes(camera.stream().filter(b -> b.getSequenceNumber() >= DRIFT_BATCH).toList());
        List<Shape> beforeDrift = AnchorMatch.boxShapes(camera.stream().filter(b -> b.getSequenceNumber() < DRIFT_BATCH).toList());
        List<Shape> kmeansAfter = AnchorMatch.kmeans(afterDrift, NUM_ANCHORS);
        List<Shape> kmeansBefore = AnchorMatch.kmeans(beforeDrift, NUM_ANCHORS);
        List<Shape> oldAnchors = AnchorMatch.anchors(lastBeforeDrift);
        List<Shape> newAnchors = AnchorMatch.anchors(promoted);
        double toKmeansBefore = AnchorMatch.meanBestIou(kmeansAfter, oldAnchors);
        double toKmeansAfter = AnchorMatch.meanBestIou(kmeansAfter, newAnchors);
        double boxesBefore = AnchorMatch.meanBestIou(afterDrift, oldAnchors);
        double boxesAfter = AnchorMatch.meanBestIou(afterDrift, newAnchors);
        System.out.printf(Locale.ROOT, "scenario 2: k-means before the drift %s, after %s; anchors at step %d %s, at step %d %s;"
                        + " mean best IoU with the post-drift k-means anchors %.3f -> %.3f, with the post-drift boxes %.3f -> %.3f"
                        + " (pre-drift anchors vs pre-drift k-means %.3f)%n",
                kmeansBefore, kmeansAfter, lastBeforeDrift.trainingStep(), oldAnchors, promoted.trainingStep(), newAnchors,
                toKmeansBefore, toKmeansAfter, boxesBefore, boxesAfter, AnchorMatch.meanBestIou(kmeansBefore, oldAnchors));
        assertThat(toKmeansAfter).isGreaterThan(toKmeansBefore + 0.1);
        assertThat(boxesAfter).isGreaterThan(boxesBefore);
    }

    // ---- 3 ------------------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void scenario3_aKilledTrainerResumesFromItsCheckpointSkipsNoBatchAndVersionsStayMonotonic() throws Exception {
        // SIGKILL between two checkpoints, so that the steps since the last one are lost and must be replayed
        long stepSeen = Await.value("the trainer 3 steps past a checkpoint", LONG, () -> {
            PrometheusText t = system.trainerMetrics();
            long step = (long) t.sum("abo_trainer_step");
            long ck = (long) t.sum("abo_trainer_checkpoint_step");
            return step - ck >= 3 && step - ck < CHECKPOINT_EVERY - 2 ? Optional.of(step) : Optional.empty();
        }, () -> system.trainer().logTail(20));
        assertThat(system.trainer().kill()).as("exit code of SIGKILL").isEqualTo(137);
        TrainerState atKill = checkpointState();
        List<RegistryClient.SnapshotInfo> versionsAtKill = registry.list(MODEL);
        System.out.printf(Locale.ROOT, "scenario 3: killed at step >= %d, checkpoint at step %d%n", stepSeen, atKill.step());

        ServiceProcess restarted = system.startTrainer();
        Await.until("the restarted trainer restored the checkpoint", LONG,
                () -> restarted.log().contains("restored step " + atKill.step() + " "), () -> restarted.logTail(30));
        // static membership (ABO_GROUP_INSTANCE_ID): the partitions come at once, not when the killed trainer's
        // session (45 s) runs out, which it does some 30 s after this restart would have restored
        long restoredAt = System.nanoTime();
        Await.until("the restarted trainer has its partitions", LONG, () -> restarted.log().contains("assigned ["),
                () -> restarted.logTail(30));
        long assignedAfterMs = (System.nanoTime() - restoredAt) / 1_000_000;
        System.out.printf(Locale.ROOT, "scenario 3: partitions %d ms after the restore%n", assignedAfterMs);
        assertThat(assignedAfterMs).as("ms from the restore to the partitions").isLessThan(15_000);
        long lastPublished = versionsAtKill.get(versionsAtKill.size() - 1).trainingStep();
        TrainerState resumed = Await.value("a checkpoint past the kill and a new version", LONG, () -> {
            TrainerState s = checkpointState();
            List<RegistryClient.SnapshotInfo> l = registry.list(MODEL);
            return s.step() >= stepSeen + CHECKPOINT_EVERY && l.get(l.size() - 1).trainingStep() > lastPublished
                    ? Optional.of(s) : Optional.empty();
        }, () -> restarted.logTail(30));

        // the durable lineage: every batch exactly once (nothing trained twice, one step per batch), no gaps
        assertThat(resumed.retrainedCount()).isZero();
        TrainedLedger ledger = resumed.ledger();
        assertThat(ledger.distinctBatches()).isEqualTo(resumed.step());
        // the camera's batches 0..n-1 without a gap
        assertThat(resumed.trained()).containsOnlyKeys(CAMERA);
        assertThat(resumed.trained().get(CAMERA)).containsExactly(new TrainedLedger.Range(0, resumed.step() - 1));
        assertThat(resumed.deadLettered()).isEqualTo(3);
        assertThat(system.trainerMetrics().sum("abo_trainer_batches_retrained_total")).isZero();

        // ... and it is exactly what the topic holds before the checkpoint's offsets: no batch skipped
        Map<Integer, Long> next = new HashMap<>();
        resumed.offsets().forEach(o -> next.put(o.partition(), o.offset()));
        Set<TrainedLedger.Batch> onTopic = new HashSet<>();
        int poison = 0;
        for (ConsumerRecord<String, byte[]> r : TopicRecords.read(system.bootstrap(), Topics.TRAIN_BATCHES.name())) {
            if (r.offset() >= next.getOrDefault(r.partition(), 0L)) {
                continue;
            }
            if (POISON_KEY.equals(r.key())) {
                poison++;
            } else {
                TrainingBatch b = TrainingBatch.parseFrom(r.value());
                assertThat(onTopic.add(new TrainedLedger.Batch(b.getSourceId(), b.getSequenceNumber()))).isTrue();
            }
        }
        assertThat(poison).isEqualTo(3);
        assertThat(onTopic).hasSize((int) resumed.step());
        assertThat(onTopic).allSatisfy(b -> assertThat(ledger.contains(b.source(), b.sequence())).as("%s trained", b).isTrue());

        // versions: 1, 2, 3, ... with increasing steps; those from before the kill unchanged
        List<RegistryClient.SnapshotInfo> versions = registry.list(MODEL);
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).version()).isEqualTo(i + 1L);
            if (i > 0) {
                assertThat(versions.get(i).trainingStep()).isGreaterThan(versions.get(i - 1).trainingStep());
            }
        }
        assertThat(versions.subList(0, versionsAtKill.size())).extracting(v -> v.version() + "@" + v.trainingStep() + ":" + v.checkpointSha256())
                .containsExactlyElementsOf(versionsAtKill.stream().map(v -> v.version() + "@" + v.trainingStep() + ":" + v.checkpointSha256()).toList());
    }

    // ---- 4 ------------------------------------------------------------------------------------------------

    @Test
    @Order(5)
    void scenario4_aRestartedRegistryServesIdenticalVersionsAndPromotedPointer() throws Exception {
        // the trainer stops first (gracefully: a final checkpoint), so nothing is published during the restart
        long stepBefore = (long) system.trainerMetrics().sum("abo_trainer_step");
        system.trainer().stop(Duration.ofSeconds(60));
        TrainerState last = checkpointState();
        assertThat(last.step()).isGreaterThanOrEqualTo(stepBefore);
        assertThat(system.trainer().log()).contains("trainer stopped at step " + last.step());

        List<String> models = registry.models();
        List<RegistryClient.SnapshotInfo> versions = registry.list(MODEL);
        RegistryClient.Pointer pointer = registry.promoted(MODEL);
        List<JsonNode> full = new ArrayList<>();
        for (RegistryClient.SnapshotInfo v : versions) {
            full.add(registry.getJson(MODEL, v.version()));
        }

        system.registry().stop(Duration.ofSeconds(60));
        assertThat(RunningSystem.statusOf(system.registryUrl() + "/health")).as("old registry gone").isEqualTo(-1);
        system.startRegistry();
        system.awaitRegistry();

        assertThat(registry.models()).isEqualTo(models);
        assertThat(registry.list(MODEL)).isEqualTo(versions);
        assertThat(registry.promoted(MODEL)).isEqualTo(pointer);
        for (int i = 0; i < versions.size(); i++) {
            assertThat(registry.getJson(MODEL, versions.get(i).version())).isEqualTo(full.get(i));
        }
        RegistryClient.SnapshotInfo promoted = registry.get(MODEL, pointer.version());
        Path download = system.work.resolve("promoted-after-restart.zip");
        assertThat(registry.download(MODEL, pointer.version(), download)).isEqualTo(promoted.checkpointSha256());
        assertThat(servedModel().getModelVersion()).isEqualTo(pointer.version());

        // the new instance is the writer on the log: a rollback moves the pointer, and inference follows it
        RegistryClient.Pointer back = registry.rollback(MODEL, Optional.empty());
        assertThat(back.version()).isLessThan(pointer.version());
        assertThat(back.reason()).isEqualTo("rollback");
        Await.until("inference serves rolled-back version " + back.version(), LONG,
                () -> servedModel().getModelVersion() == back.version(), () -> system.inference().logTail(20));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Waits until the inference service serves the promoted version (read together, as the pointer may move). */
    private RegistryClient.Pointer awaitInferenceServesThePromoted() {
        return Await.value("inference serving the promoted version", LONG, () -> {
            RegistryClient.Pointer p = registry.promoted(MODEL);
            return servedModel().getModelVersion() == p.version() ? Optional.of(p) : Optional.empty();
        }, () -> system.inference().logTail(20));
    }

    /** The trainer state in the current checkpoint file (written atomically: the old or the new one, never a mix). */
    private TrainerState checkpointState() {
        try {
            return TrainerCheckpoints.readState(system.trainerCheckpoint());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private GetModelResponse servedModel() {
        return system.detection().withDeadlineAfter(10, TimeUnit.SECONDS).getModel(GetModelRequest.getDefaultInstance());
    }

    private void assertInvalid(DetectRequest request, String message) {
        assertThatThrownBy(() -> system.detection().withDeadlineAfter(10, TimeUnit.SECONDS).detect(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }

    /** A 320x240 camera frame (a heads scene) as JPEG. */
    private static byte[] frame() {
        return ImageCodec.encode(new HeadsScenes(3).scene(0).image(), ImageCodec.Format.JPEG, 0.9f);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), UTF_8);
    }
}
