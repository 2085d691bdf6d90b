package dev.abo.trainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.abo.detector.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trainer state versions: 1 (before the dead-letter scan offsets) still reads; a newer one is refused by name. */
class TrainerStateVersionTest {

    private static final String V1 = """
            {"formatVersion":1,"step":8,"inputSize":32,"classNames":["a"],
             "offsets":[{"topic":"t","partition":0,"offset":9}],"trained":{"s":[{"first":0,"last":7}]},
             "retrained":[],"retrainedCount":0,"deadLettered":1,"createdUnixMs":5}""";

    @TempDir
    Path dir;

    private Path zipWithState(String json) throws IOException {
        Path file = dir.resolve("state-" + json.hashCode() + ".zip");
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toUri()), Map.of("create", "true"))) {
            Files.writeString(zip.getPath(TrainerCheckpoints.ENTRY), json, UTF_8);
        }
        return file;
    }

    @Test
    void aVersion1StateReadsWithNoDeadLetterScanOffsets() throws Exception {
        TrainerState s = TrainerCheckpoints.readState(zipWithState(V1));
        assertThat(s.formatVersion()).isEqualTo(1);
        assertThat(s.step()).isEqualTo(8);
        assertThat(s.deadLettered()).isEqualTo(1);
        assertThat(s.offsets()).containsExactly(new TrainerState.PartitionOffset("t", 0, 9));
        // nothing listed: a restart reads the dead-letter topic from its beginning
        assertThat(s.deadLetterScanFrom()).isEqualTo(List.of());
    }

    @Test
    void aNewerVersionIsRefusedNamingTheVersions() throws Exception {
        Path file = zipWithState(V1.replace("\"formatVersion\":1", "\"formatVersion\":3"));
        assertThatThrownBy(() -> TrainerCheckpoints.readState(file)).isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageContaining("has trainer state version 3, this build reads versions 1 to 2");
    }
}
