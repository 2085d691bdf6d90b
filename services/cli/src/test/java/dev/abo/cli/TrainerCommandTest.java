package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Shape;
import dev.abo.detector.DetectorConfig;
import dev.abo.detector.DetectorGraph;
import dev.abo.trainer.TrainedLedger;
import dev.abo.trainer.TrainerCheckpoints;
import dev.abo.trainer.TrainerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCommandTest {

    @Test
    void statusPrintsTheCheckpointsStepAnchorsOffsetsAndLedger(@TempDir Path dir) throws Exception {
        DetectorConfig d = DetectorConfig.defaults(16, 2).withBackbone(List.of(2, 2)).withAnchors(2, DetectorConfig.AnchorMode.LEARNED);
        AnchorSet anchors = AnchorSet.of(List.of(new Shape(4, 6), new Shape(10, 8)), 16);
        TrainedLedger ledger = new TrainedLedger();
        for (long s = 0; s < 5; s++) {
            ledger.add("cam", s);
        }
        new TrainerCheckpoints(dir).write(DetectorGraph.build(d, anchors), d, new TrainerState(TrainerState.FORMAT_VERSION, 5, 16,
                List.of("a", "b"), List.of(new TrainerState.PartitionOffset("train.batches", 1, 7)), ledger.ranges(),
                List.of(), 0, 2, List.of(new TrainerState.PartitionOffset("train.batches.dlq", 0, 2)), 1234));

        CliRun run = CliRun.of("trainer", "status", "--checkpoint-dir", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("step").asLong()).isEqualTo(5);
        assertThat(json.get("classNames").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(json.get("anchorWidthsPx").get(0).asDouble()).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(json.get("anchorHeightsPx").get(1).asDouble()).isCloseTo(8, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(json.get("offsets").get(0).get("offset").asLong()).isEqualTo(7);
        assertThat(json.get("trained").get("cam").toString()).isEqualTo("[{\"first\":0,\"last\":4}]");
        assertThat(json.get("deadLettered").asLong()).isEqualTo(2);
        assertThat(json.get("deadLetterScanFrom").get(0).get("offset").asLong()).isEqualTo(2);
    }

    @Test
    void statusWithoutACheckpointIsAUserError(@TempDir Path dir) {
        CliRun run = CliRun.of("trainer", "status", "--checkpoint-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(run.err()).contains("no trainer checkpoint in " + dir);
    }

    @Test
    void runRejectsABadSettingNamingItsKey() {
        CliRun run = CliRun.of("trainer", "run", "--bootstrap", "127.0.0.1:1", "--set", "ABO_CHECKPOINT_EVERY=0");
        assertThat(run.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(run.err()).contains("ABO_CHECKPOINT_EVERY='0'");
    }
}
