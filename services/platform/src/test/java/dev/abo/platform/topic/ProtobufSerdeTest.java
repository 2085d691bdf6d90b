package dev.abo.platform.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.abo.proto.anchors.v1.Anchor;
import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.training.v1.ImageEncoding;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.proto.training.v1.TrainingImage;
import org.junit.jupiter.api.Test;

class ProtobufSerdeTest {

    static TrainingBatch batch(String source, long sequence) {
        return TrainingBatch.newBuilder()
                .setSchemaVersion(1).setSourceId(source).setSequenceNumber(sequence)
                .setInputWidthPx(128).setInputHeightPx(96)
                .addClassNames("person").addClassNames("ball")
                .addImages(TrainingImage.newBuilder()
                        .setData(ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
                        .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
                        .setOrigin("000005.jpg")
                        .addBoxes(ObjectBox.newBuilder().setX1Px(1.5f).setY1Px(2f).setX2Px(40.25f).setY2Px(60f).setClassId(1)))
                .setCreatedUnixMs(1_764_000_000_000L)
                .build();
    }

    @Test
    void trainingBatchRoundTripsThroughTheTopicSerde() {
        ProtobufSerde<TrainingBatch> serde = (ProtobufSerde<TrainingBatch>) Topics.TRAIN_BATCHES.valueSerde();
        TrainingBatch original = batch("voc2007-train/loader-0", 41);
        byte[] bytes = serde.serializer().serialize("train.batches", original);
        assertThat(bytes).isEqualTo(original.toByteArray());
        TrainingBatch back = serde.deserializer().deserialize("train.batches", bytes);
        assertThat(back).isEqualTo(original);
        assertThat(back.getImages(0).getBoxes(0).getX2Px()).isEqualTo(40.25f);
        assertThat(serde.messageType()).isEqualTo("training.v1.TrainingBatch");
    }

    @Test
    void snapshotRoundTripsAndTombstonesStayNull() {
        AnchorSnapshot snapshot = AnchorSnapshot.newBuilder().setModelName("yolo-voc").setVersion(3)
                .addAnchors(Anchor.newBuilder().setWidthPx(12.5).setHeightPx(30)).build();
        ProtobufSerde<AnchorSnapshot> serde = Topics.ANCHOR_SNAPSHOT_SERDE;
        assertThat(serde.decode("anchors.snapshots", serde.serializer().serialize("anchors.snapshots", snapshot)))
                .isEqualTo(snapshot);
        assertThat(serde.serializer().serialize("anchors.snapshots", null)).isNull();
        assertThat(serde.deserializer().deserialize("anchors.snapshots", null)).isNull();
    }

    @Test
    void garbageRaisesATypedExceptionCarryingTheBytes() {
        // 0x0A = field 1, length-delimited; length 5 but only 1 byte follows: truncated message
        byte[] garbage = {0x0A, 0x05, 'x'};
        ProtobufSerde<TrainingBatch> serde = ProtobufSerde.of(TrainingBatch.getDefaultInstance());
        assertThatThrownBy(() -> serde.deserializer().deserialize("train.batches", garbage))
                .isInstanceOfSatisfying(UndecodableRecordException.class, e -> {
                    assertThat(e.data()).containsExactly(0x0A, 0x05, 'x');
                    assertThat(e.topic()).isEqualTo("train.batches");
                    assertThat(e.messageType()).isEqualTo("training.v1.TrainingBatch");
                })
                .hasMessageStartingWith("cannot decode 3 bytes from topic train.batches as training.v1.TrainingBatch: ");
        // wire type 7 does not exist
        assertThatThrownBy(() -> serde.decode("eval.batches", new byte[] {0x0F}))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("eval.batches");
    }
}
