package dev.abo.detector.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.abo.detector.DetectorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunArtifactsTest {
    @TempDir
    Path dir;

    @Test
    void nonFiniteMetricsAreWrittenAsJsonNullAndReadBackAsNaN() throws IOException {
        TrainingConfig config = TrainingConfig.defaults(DetectorConfig.defaults(64, 1), 10, 2);
        EvalRecord noGroundTruth = new EvalRecord(10, Double.NaN, Double.NaN, 3, 0, List.of(new AnchorPx(4, 5)), 0.25);
        TrainingMetrics metrics = new TrainingMetrics(64, 0, 10, Double.NaN, Double.POSITIVE_INFINITY, 1.5,
                List.of(new AnchorPx(4, 5)), List.of(new AnchorPx(4, 5)), 2, 0, 5, 0.25, 7, config, List.of(noGroundTruth));
        Path file = dir.resolve("metrics.json");

        RunArtifacts.writeMetrics(file, metrics);

        String text = Files.readString(file);
        assertThat(text).doesNotContain("NaN").doesNotContain("Infinity")
                .contains("\"finalAp50\" : null").contains("\"finalAnchorIou\" : null").contains("\"ap50\" : null")
                .contains("\"finalLoss\" : 1.5").contains("\"ignoredObjects\" : 7");
        assertThat(RunArtifacts.toJson(metrics)).isEqualTo(text);
        TrainingMetrics back = RunArtifacts.readMetrics(file);
        assertThat(back.finalAp50()).isNaN();
        assertThat(back.finalAnchorIou()).isNaN();               // an infinity has no JSON form either
        assertThat(back.evals().get(0).ap50()).isNaN();
        assertThat(back.finalLoss()).isEqualTo(1.5);
        assertThat(back.config()).isEqualTo(config);
        assertThat(back.ignoredObjects()).isEqualTo(7);

        // a metrics.json written before the count existed reads as none ignored
        Files.writeString(file, text.replaceAll("\\s*\"ignoredObjects\" : 7,", ""));
        assertThat(Files.readString(file)).doesNotContain("ignoredObjects");
        assertThat(RunArtifacts.readMetrics(file).ignoredObjects()).isZero();
    }
}
