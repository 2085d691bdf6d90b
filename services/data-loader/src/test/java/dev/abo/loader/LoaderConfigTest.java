package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Scaling;
import dev.abo.core.data.DatasetSpec;
import dev.abo.platform.codec.ImageFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoaderConfigTest {

    @Test
    void defaults() {
        LoaderConfig c = LoaderConfig.from(Map.of("PATH", "/usr/bin"));
        assertThat(c.source()).isEqualTo(new SourceSpec.Synthetic("synthetic:mixed"));
        assertThat(c.sourceId()).isEqualTo("synthetic:mixed/loader-0");
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.inputWidth()).isEqualTo(128);
        assertThat(c.inputHeight()).isEqualTo(128);
        assertThat(c.seed()).isEqualTo(1);
        assertThat(c.imageFormat()).isEqualTo(ImageFormat.jpeg(90));
        assertThat(c.scaling()).isEqualTo(Scaling.RANDOM);
        assertThat(c.evalFraction()).isEqualTo(0.1);
        assertThat(c.evalImages()).isEqualTo(512);
        assertThat(c.evalEveryBatches()).isEqualTo(288);
        // 512 held-out frames = 32 batches of 16, then 288 training batches: a tenth of the frames held out
        assertThat(c.heldOutRounds()).contains(new HeldOutRounds(16, 32, 288));
        assertThat(c.topic()).isEqualTo("train.batches");
        assertThat(c.evalTopic()).isEqualTo("eval.batches");
        assertThat(c.maxRecordBytes()).isEqualTo(1_048_576);
        assertThat(c.watchPoll()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.classNames()).containsExactly("head");
        assertThat(c.kafka()).isEmpty();
    }

    @Test
    void readsEverySourceFormAndSetting() {
        LoaderConfig c = LoaderConfig.from(Map.of("ABO_SOURCE", "dataset:voc:/data/voc:train", "ABO_SOURCE_ID", "voc/0",
                "ABO_INPUT_SIZE", "416x320", "ABO_IMAGE_ENCODING", "PNG", "ABO_SCALING", "none",
                "ABO_CLASS_NAMES", "head, person", "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "KAFKA_ACKS", "all"));
        assertThat(c.source()).isEqualTo(new SourceSpec.Dataset(new DatasetSpec.Voc(Path.of("/data/voc"), Optional.of("train"))));
        assertThat(c.sourceId()).isEqualTo("voc/0");
        assertThat(c.inputWidth()).isEqualTo(416);
        assertThat(c.inputHeight()).isEqualTo(320);
        assertThat(c.imageFormat()).isEqualTo(ImageFormat.png());
        assertThat(c.scaling()).isEqualTo(Scaling.NONE);
        assertThat(c.classNames()).isEqualTo(List.of("head", "person"));
        assertThat(c.kafka()).isEqualTo(Map.of("bootstrap.servers", "k:9092", "acks", "all"));
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "camera:drift")).source()).isEqualTo(new SourceSpec.CameraDrift());
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "watch:/in")).source()).isEqualTo(new SourceSpec.Watch(Path.of("/in")));
    }

    @Test
    void messagesNameTheBadKey() {
        assertBad(Map.of("ABO_BATCH_SIZE", "0"), "ABO_BATCH_SIZE: expected an integer in 1..1024, got 0");
        assertBad(Map.of("ABO_BATCH_SIZE", "sixteen"), "ABO_BATCH_SIZE: expected an integer in 1..1024, got 'sixteen'");
        assertBad(Map.of("ABO_INPUT_SIZE", "416x"), "ABO_INPUT_SIZE: expected N or WIDTHxHEIGHT, got '416x'");
        assertBad(Map.of("ABO_INPUT_SIZE", "5000"), "ABO_INPUT_SIZE: each side must be in 1..4096, got '5000'");
        assertBad(Map.of("ABO_JPEG_QUALITY", "101"), "ABO_JPEG_QUALITY: expected an integer in 1..100, got 101");
        assertBad(Map.of("ABO_IMAGE_ENCODING", "webp"), "ABO_IMAGE_ENCODING: expected one of jpeg, png, rgb8, got 'webp'");
        assertBad(Map.of("ABO_EVAL_FRACTION", "1"), "ABO_EVAL_FRACTION: expected a number in [0, 1), got '1'");
        assertBad(Map.of("ABO_EVAL_EVERY_BATCHES", "0"),
                "ABO_EVAL_EVERY_BATCHES: expected an integer in 1..1000000000000, got 0");
        assertBad(Map.of("ABO_SEED", " "), "ABO_SEED: empty value (unset it to use the default '1')");
        assertBad(Map.of("ABO_CLASS_NAMES", "head,,cup"),
                "ABO_CLASS_NAMES: empty class name in a comma-separated list, got 'head,,cup'");
        assertBad(Map.of("ABO_EVAL_TOPIC", "train.batches"),
                "ABO_EVAL_TOPIC: must differ from ABO_TOPIC, both are 'train.batches'");
        assertBad(Map.of("ABO_SOURCE", "synthetic:cats"), "ABO_SOURCE: bad source 'synthetic:cats', expected one of: "
                + "dataset:<voc:DIR[:SPLIT], coco:FILE.json, idl:FILE[:WIDTHxHEIGHT]>, synthetic:heads, synthetic:mixed, "
                + "camera:drift, watch:DIR, got 'synthetic:cats'");
        assertBad(Map.of("ABO_SOURCE", "dataset:voc"), "ABO_SOURCE: bad dataset 'voc', expected one of: "
                + "voc:DIR[:SPLIT], coco:FILE.json, idl:FILE[:WIDTHxHEIGHT], got 'dataset:voc'");
    }

    @Test
    void onlyEndlessSourcesHoldOutRoundsOfTheirStream() {
        // 10 images in batches of 4 round up to 3 held-out batches
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "camera:drift", "ABO_EVAL_IMAGES", "10", "ABO_BATCH_SIZE", "4",
                "ABO_EVAL_EVERY_BATCHES", "20")).heldOutRounds()).contains(new HeldOutRounds(4, 3, 20));
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "watch:/in")).heldOutRounds()).isPresent();
        assertThat(LoaderConfig.from(Map.of("ABO_EVAL_IMAGES", "0")).heldOutRounds()).isEmpty();
        // a dataset's held-out split is its own (ABO_EVAL_FRACTION), sent first
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "dataset:voc:/data/voc")).heldOutRounds()).isEmpty();
    }

    @Test
    void scalingDefaultsToFitForAStillCameraAndToRandomForPhotos() {
        // still cameras (an idl: file is Brainwash's format, trained without random scaling, paper Sec. 4.2.3):
        // the whole frame stretched to the input, as held-out frames and inference see it
        for (String camera : List.of("synthetic:heads", "camera:drift", "watch:/in", "dataset:idl:/b.idl",
                "dataset:idl:/b.idl:640x480")) {
            assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", camera)).scaling()).as(camera).isEqualTo(Scaling.FIT);
            assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", camera)).augmentConfig())
                    .isEqualTo(AugmentConfig.yolov2(128, 128).withScaling(Scaling.FIT));
        }
        // photos: YOLOv2's random scaling (paper Sec. 4.1), as `abo train` trains them
        for (String photos : List.of("synthetic:mixed", "dataset:voc:/data/voc", "dataset:coco:/c.json")) {
            assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", photos)).scaling()).as(photos).isEqualTo(Scaling.RANDOM);
        }
        // an explicit choice wins over the source's default, in any case
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "dataset:voc:/v", "ABO_SCALING", "Fit")).scaling())
                .isEqualTo(Scaling.FIT);
        assertThat(LoaderConfig.from(Map.of("ABO_SOURCE", "camera:drift", "ABO_SCALING", "random")).scaling())
                .isEqualTo(Scaling.RANDOM);
        assertBad(Map.of("ABO_SCALING", "stretch"), "ABO_SCALING: expected one of random, fit, none, got 'stretch'");
        assertBad(Map.of("ABO_SOURCE", "camera:drift", "ABO_SCALING", ""),
                "ABO_SCALING: empty value (unset it to use the default 'fit')");
    }

    @Test
    void anUnknownAboKeyIsATypoNotADefault() {
        assertThatThrownBy(() -> LoaderConfig.from(Map.of("ABO_BACH_SIZE", "8")))
                .hasMessageStartingWith("ABO_BACH_SIZE: unknown setting; the data-loader reads ABO_SOURCE, ABO_SOURCE_ID, ");
    }

    private static void assertBad(Map<String, String> env, String message) {
        assertThatThrownBy(() -> LoaderConfig.from(env)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
