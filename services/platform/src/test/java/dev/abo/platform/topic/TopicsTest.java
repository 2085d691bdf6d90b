package dev.abo.platform.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void catalogueDeclaresTheThreeTopicsAndTheirDeadLetterTopics() {
        assertThat(Topics.all()).extracting(t -> t.name() + "/" + t.partitions() + "/" + t.cleanupPolicy() + "/" + t.maxMessageBytes())
                .containsExactly(
                        "train.batches/3/delete/16777216",
                        "train.batches.dlq/1/delete/16842752",   // 16 MiB + 64 KiB of header room
                        "eval.batches/1/delete/16777216",
                        "eval.batches.dlq/1/delete/16842752",
                        "anchors.snapshots/1/compact/1048588",
                        "anchors.snapshots.dlq/1/delete/1114124");
        assertThat(Topics.TRAIN_BATCHES.configs()).containsEntry("compression.type", "producer");
        assertThat(Topics.ANCHOR_SNAPSHOTS.isCompacted()).isTrue();
        assertThat(Topics.all((short) 3)).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 3));
    }

    @Test
    void newTopicCarriesPartitionsReplicationAndConfigs() {
        var request = Topics.ANCHOR_SNAPSHOTS.newTopic();
        assertThat(request.name()).isEqualTo("anchors.snapshots");
        assertThat(request.numPartitions()).isEqualTo(1);
        assertThat(request.replicationFactor()).isEqualTo((short) 1);
        assertThat(request.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void invalidDeclarationsAreRejectedWithTheTopicName() {
        assertThatThrownBy(() -> new TopicSpec<>("bad name", Serdes.String(), Serdes.String(), 1, (short) 1, Map.of()))
                .hasMessage("invalid topic name 'bad name'");
        assertThatThrownBy(() -> new TopicSpec<>("t", Serdes.String(), Serdes.String(), 0, (short) 1, Map.of()))
                .hasMessage("topic t: partitions must be >= 1, was 0");
    }

    @Test
    void snapshotKeysFormatAndParse() {
        assertThat(SnapshotKey.version("yolo-voc", 12).toString()).isEqualTo("yolo-voc/12");
        assertThat(SnapshotKey.promoted("yolo-voc").toString()).isEqualTo("yolo-voc/promoted");
        assertThat(SnapshotKey.parse("yolo-voc/12")).isEqualTo(new SnapshotKey.Version("yolo-voc", 12));
        assertThat(SnapshotKey.parse("yolo-voc/promoted")).isEqualTo(new SnapshotKey.Promoted("yolo-voc"));
        for (String bad : new String[] {"yolo-voc", "yolo-voc/", "/3", "yolo-voc/0", "yolo-voc/01", "yolo-voc/latest"}) {
            assertThatThrownBy(() -> SnapshotKey.parse(bad)).as(bad)
                    .hasMessage("snapshot key '" + bad + "' is not <model>/<version> or <model>/promoted");
        }
        assertThatThrownBy(() -> SnapshotKey.parse("a/b/3")).hasMessage("model name 'a/b' must be non-empty and contain no '/'");
    }
}
