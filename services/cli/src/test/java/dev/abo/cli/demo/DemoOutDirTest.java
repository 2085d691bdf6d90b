package dev.abo.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOutDirTest {

    @TempDir
    Path tmp;

    @Test
    void aNewDirectoryIsCreatedWithTheMarker() throws Exception {
        Path out = tmp.resolve("a/b");
        DemoRun.prepare(out);
        try (var list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly(DemoRun.MARKER);
        }
    }

    @Test
    void aPreviousDemosDirectoryIsClearedAndAnythingElseIsRefused() throws Exception {
        Path out = tmp.resolve("demo");
        DemoRun.prepare(out);
        Files.createDirectories(out.resolve("broker/logs"));
        Files.writeString(out.resolve("broker/logs/x"), "old");
        Files.writeString(out.resolve("report.html"), "old");
        DemoRun.prepare(out);
        try (var list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly(DemoRun.MARKER);
        }

        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> DemoRun.prepare(mine)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(mine + " is not empty and not a demo's directory: choose another --out");
        assertThat(Files.readString(mine.resolve("thesis.tex"))).isEqualTo("precious");
        assertThatThrownBy(() -> DemoRun.prepare(mine.resolve("thesis.tex"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a file");
    }
}
