package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import dev.abo.core.anchor.AnchorInit;
import dev.abo.core.data.VocReader;
import dev.abo.detector.DetectorConfig;
import dev.abo.inference.InferenceConfig;
import dev.abo.loader.HeldOutRounds;
import dev.abo.loader.LoaderConfig;
import dev.abo.loader.SourceSpec;
import dev.abo.platform.config.ConfigSource;
import dev.abo.registry.RegistryConfig;
import dev.abo.trainer.TrainerConfig;
import org.junit.jupiter.api.Test;

/** Every service's settings map is read by that service's own config parser, with the values the demo means. */
class ServiceSettingsTest {

    private static final DemoSettings S = new DemoSettings(Duration.ofMinutes(9), Path.of("out/demo"), Path.of("voc-dir"), 96, 8,
            List.of(16, 32, 64, 128, 128), AnchorInit.COCO, 7, 3, 0.75, 25, 64, 200, Duration.ofSeconds(10),
            Duration.ofSeconds(1), 0.02, "tok");
    private static final DemoPlan PLAN = DemoPlan.of(S, Duration.ofSeconds(20));
    private static final ServiceSettings SVC = new ServiceSettings(S, "127.0.0.1:9999");

    @Test
    void oneModelForBothSourcesHasTheCamerasClassesFirstThenVocs() {
        List<String> names = ServiceSettings.classNames(7);
        assertThat(names.subList(0, 6)).containsExactly("box", "ball", "pole", "slab", "tri", "head");
        assertThat(names.subList(6, names.size())).isEqualTo(VocReader.CLASSES);
    }

    @Test
    void theTwoTrainersDifferOnlyInAnchorMode_group_directoryAndPublishing() {
        TrainerConfig learned = TrainerConfig.from(SVC.learnedTrainer(PLAN, "http://127.0.0.1:1234"));
        TrainerConfig fixed = TrainerConfig.from(SVC.fixedTrainer(PLAN));
        assertThat(learned.anchorMode()).isEqualTo(DetectorConfig.AnchorMode.LEARNED);
        assertThat(fixed.anchorMode()).isEqualTo(DetectorConfig.AnchorMode.FIXED);
        assertThat(learned.groupId()).isNotEqualTo(fixed.groupId());
        assertThat(learned.checkpointDir()).isEqualTo(Path.of("out/demo/trainer-learned"));
        assertThat(fixed.checkpointDir()).isEqualTo(Path.of("out/demo/trainer-fixed"));
        assertThat(learned.publish().registryUrl()).hasValueSatisfying(u -> assertThat(u).hasToString("http://127.0.0.1:1234"));
        assertThat(learned.publish().token()).contains("tok");
        assertThat(learned.publish().model()).isEqualTo(ServiceSettings.MODEL);
        assertThat(learned.publish().every()).isEqualTo(25);
        assertThat(fixed.publish().enabled()).isFalse();
        for (TrainerConfig c : List.of(learned, fixed)) {
            assertThat(c.inputSize()).hasValue(96);
            assertThat(c.classNames()).contains(ServiceSettings.classNames(7));
            assertThat(c.anchorInit()).isEqualTo(AnchorInit.COCO);
            assertThat(c.seed()).isEqualTo(7);
            assertThat(c.warmupSteps()).isEqualTo(PLAN.warmupSteps());
            assertThat(c.evalEvery()).isEqualTo(25);
            assertThat(c.evalImages()).isEqualTo(64);
            assertThat(c.checkpointEvery()).isEqualTo(10);
        }
    }

    @Test
    void theCameraDriftsAtTheGivenFrameAndHoldsOutAnEighthOfItsFramesAsTheyCome() {
        LoaderConfig camera = LoaderConfig.from(SVC.camera(PLAN, 2000));
        assertThat(camera.source()).isEqualTo(new SourceSpec.CameraDrift());
        assertThat(camera.sourceId()).isEqualTo(ServiceSettings.CAMERA);
        assertThat(camera.driftFrame()).isEqualTo(2000);
        assertThat(camera.augment()).isEqualTo(LoaderConfig.Augment.NONE);
        assertThat(camera.batchSize()).isEqualTo(8);
        assertThat(camera.evalImages()).isEqualTo(64);
        // 64 held-out frames = 8 batches of 8 (the trainers' window of 64 images), then 7 x 8 = 56 training batches
        assertThat(camera.heldOutRounds()).contains(new HeldOutRounds(8, 8, 56));
        assertThat(SVC.cameraRounds()).isEqualTo(camera.heldOutRounds().orElseThrow());
        assertThat(camera.delivery().maxBatchesPerSecond()).isEqualTo(OptionalDouble.of(2.25));
        assertThat(camera.delivery().maxLagBatches()).isEqualTo(16);
        assertThat(camera.delivery().trainerGroup()).isEqualTo(ServiceSettings.LEARNED_GROUP);
        assertThat(camera.delivery().maxBatches()).isEqualTo(OptionalLong.empty());

        LoaderConfig voc = LoaderConfig.from(SVC.voc(PLAN));
        assertThat(voc.source()).isInstanceOf(SourceSpec.Dataset.class);
        assertThat(voc.evalFraction()).isZero();
        assertThat(voc.augment()).isEqualTo(LoaderConfig.Augment.YOLOV2);
        assertThat(voc.delivery().maxBatchesPerSecond()).isEqualTo(OptionalDouble.of(0.75));
    }

    @Test
    void registryAndInferenceListenOnFreeLoopbackPortsWithTheDemoTokenAndModel() {
        RegistryConfig r = RegistryConfig.from(ConfigSource.of(SVC.registry()));
        assertThat(r.port()).isZero();
        assertThat(r.bindHost()).isEqualTo("127.0.0.1");
        assertThat(r.token()).contains("tok");
        assertThat(r.blobDir()).isEqualTo(Path.of("out/demo/registry"));
        assertThat(r.promoteTolerance()).isEqualTo(0.02);
        InferenceConfig i = InferenceConfig.from(ConfigSource.of(SVC.inference("http://127.0.0.1:1234")));
        assertThat(i.port()).isZero();
        assertThat(i.model()).isEqualTo(ServiceSettings.MODEL);
        assertThat(i.registryUrl()).contains("http://127.0.0.1:1234");
        assertThat(i.modelDir()).isEqualTo(Path.of("out/demo/inference-models"));
    }
}
