package dev.abo.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.augment.AugmentConfig;
import dev.abo.core.augment.Augmenter;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Box;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.SyntheticSampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.core.synth.MixedScenes;
import dev.abo.platform.codec.DecodedBatch;
import dev.abo.platform.codec.ImageFormat;
import dev.abo.platform.codec.TrainingBatchCodec;
import dev.abo.proto.training.v1.TrainingBatch;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    private static SampleSource mixed() {
        return SyntheticSampleSource.augmented(new MixedScenes(5), new Augmenter(AugmentConfig.yolov2(64, 64)), 5, 0);
    }

    private static BatchAssembler assembler(ImageFormat format, long maxBytes) {
        return new BatchAssembler(mixed(), BatchPlan.endless("synthetic:mixed/loader-0", 4), format, maxBytes, CLOCK);
    }

    @Test
    void batchNHoldsSamples4nTo4nPlus3OfTheSource() throws Exception {
        DecodedBatch d = TrainingBatchCodec.decode(assembler(ImageFormat.png(), 10_000_000).assemble(3));
        SampleSource src = mixed();
        assertThat(d.sequenceNumber()).isEqualTo(3);
        assertThat(d.samples()).hasSize(4);
        for (int k = 0; k < 4; k++) {
            TrainingSample expected = src.sample(12 + k);
            TrainingSample actual = d.samples().get(k);
            assertThat(actual.origin()).isEqualTo("synthetic:mixed#" + (12 + k));
            assertThat(actual.image()).isEqualTo(expected.image()); // PNG is lossless
            assertThat(actual.objects()).isEqualTo(floatRounded(expected.objects()));
        }
    }

    private static List<LabeledObject> floatRounded(List<LabeledObject> objects) {
        return objects.stream().map(o -> LabeledObject.of(new Box((float) o.box().x1(), (float) o.box().y1(),
                (float) o.box().x2(), (float) o.box().y2()), o.classId())).toList();
    }

    @Test
    void aRestartedAssemblerMakesTheSameRecordForAnySequenceNumber() throws Exception {
        TrainingBatch first = assembler(ImageFormat.jpeg(90), 10_000_000).assemble(41);
        TrainingBatch again = assembler(ImageFormat.jpeg(90), 10_000_000).assemble(41);
        assertThat(again.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void refusesARecordOverTheTopicLimitSayingWhatToChange() throws Exception {
        TrainingBatch batch = assembler(ImageFormat.jpeg(90), 10_000_000).assemble(0);
        // record = value + key (24 ASCII bytes) + 100 bytes of record overhead
        long bytes = batch.getSerializedSize() + "synthetic:mixed/loader-0".length() + 100;
        assertThat(BatchEncoder.recordBytes(batch)).isEqualTo(bytes);
        assertThatThrownBy(() -> assembler(ImageFormat.jpeg(90), bytes - 1).assemble(0))
                .isInstanceOfSatisfying(BatchTooLargeException.class, e -> {
                    assertThat(e.recordBytes()).isEqualTo(bytes);
                    assertThat(e.maxRecordBytes()).isEqualTo(bytes - 1);
                })
                .hasMessage("batch 0 of 'synthetic:mixed/loader-0' makes a " + bytes + "-byte record (4 images 64x64, "
                        + "jpeg(q=90)), over the topic's limit of " + (bytes - 1) + " bytes by 1; use a smaller batch "
                        + "(ABO_BATCH_SIZE, now 4) or a lower JPEG quality (ABO_JPEG_QUALITY, now 90), or raise the "
                        + "topic's max.message.bytes and ABO_MAX_RECORD_BYTES");
        assertThat(assembler(ImageFormat.jpeg(90), bytes).assemble(0).toByteArray()).isEqualTo(batch.toByteArray());
    }
}
