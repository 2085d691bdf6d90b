package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSummaryTest {

    @TempDir
    Path dir;

    @Test
    void jsonRoundTripsExactlyAndNotMeasuredValuesAreNullNotNaN() throws Exception {
        DemoSummary s = SummaryFixture.summary();
        s.writeJson(dir.resolve("s.json"));
        String json = Files.readString(dir.resolve("s.json"));
        DemoSummary back = DemoSummary.fromJson(json);
        assertThat(back).isEqualTo(s);
        assertThat(back.toJson() + "\n").isEqualTo(json);
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.at("/learned/evals/1/anchorIou").isNull()).isTrue();      // NaN in, null out
        assertThat(tree.at("/ap50/fixedAfter").isNull()).isTrue();
        assertThat(tree.at("/serving/servedByVersion/2").asLong()).isEqualTo(50);
        assertThat(tree.at("/registry/versions/2/ap50").isNull()).isTrue();
        assertThat(json).doesNotContain("NaN");
    }

    @Test
    void derivedValues() {
        DemoSummary s = SummaryFixture.summary();
        assertThat(s.registry().versionsCreated()).isEqualTo(3);
        assertThat(s.registry().promotedVersions()).containsExactly(1L, 2L);
        assertThat(s.learned().lastAp50()).isEqualTo(0.0123);
        assertThat(s.fixed().lastAp50()).isNull();
        assertThat(s.anchorRow("learned at the end").orElseThrow().iouAfter()).isEqualTo(0.613);
        assertThat(s.anchorRow("k-means before the drift")).isEmpty();
    }

    @Test
    void somethingElseIsRejected() {
        assertThatThrownBy(() -> DemoSummary.fromJson("{\"complete\": \"maybe\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a demo summary: ");
    }
}
