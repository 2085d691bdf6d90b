package dev.abo.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void refusesToStartWithoutATokenUnlessInLocalDemoMode() {
        assertThatThrownBy(() -> RegistryConfig.from(ConfigSource.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ABO_REGISTRY_TOKEN")
                .hasMessageContaining("required unless ABO_REGISTRY_LOCAL_DEMO=true");
        assertThatThrownBy(() -> RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_LOCAL_DEMO", "false"))))
                .isInstanceOf(ConfigException.class);

        RegistryConfig demo = RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_LOCAL_DEMO", "true")));
        assertThat(demo.token()).isEmpty();
    }

    @Test
    void defaultsAndOverrides() {
        RegistryConfig d = RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_TOKEN", "t")));
        assertThat(d.port()).isEqualTo(8081);
        assertThat(d.bindHost()).isEqualTo("127.0.0.1");
        assertThat(d.promoteTolerance()).isEqualTo(0.01);
        assertThat(d.topic()).isEqualTo("anchors.snapshots");
        assertThat(d.transactionalId()).isEqualTo("abo-anchor-registry.anchors.snapshots");
        assertThat(d.blobDir()).isEqualTo(Path.of("data", "registry-blobs"));
        assertThat(d.maxCheckpointBytes()).isEqualTo(512L << 20);
        assertThat(d.blobGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(d.blobSweepInterval()).isEqualTo(Duration.ofHours(1));

        RegistryConfig o = RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_TOKEN", "t", "ABO_PROMOTE_TOLERANCE", "0.05",
                "ABO_REGISTRY_TOPIC", "x.snapshots")));
        assertThat(o.promoteTolerance()).isEqualTo(0.05);
        assertThat(o.transactionalId()).isEqualTo("abo-anchor-registry.x.snapshots");
        assertThatThrownBy(() -> RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_TOKEN", "t", "ABO_PROMOTE_TOLERANCE", "2"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ABO_PROMOTE_TOLERANCE");

        RegistryConfig sweep = RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_TOKEN", "t",
                "ABO_REGISTRY_BLOB_GRACE_MS", "60000", "ABO_REGISTRY_BLOB_SWEEP_INTERVAL_MS", "0")));
        assertThat(sweep.blobGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(sweep.blobSweepInterval()).isZero();
        // a grace period shorter than a minute could delete an upload that is still arriving
        assertThatThrownBy(() -> RegistryConfig.from(ConfigSource.of(Map.of("ABO_REGISTRY_TOKEN", "t",
                "ABO_REGISTRY_BLOB_GRACE_MS", "59999"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ABO_REGISTRY_BLOB_GRACE_MS='59999': expected an integer >= 60000");
    }
}
