package dev.abo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryCommandTest {

    @Test
    void serveRefusesToStartWithoutATokenOutsideLocalDemoMode() {
        // surefire's environment has no ABO_REGISTRY_TOKEN
        CliRun run = CliRun.of("registry", "serve", "--bootstrap", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ABO_REGISTRY_TOKEN").contains("required unless ABO_REGISTRY_LOCAL_DEMO=true");
    }

    @Test
    void listsTheSubcommands() {
        CliRun run = CliRun.of("registry", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("serve", "list", "get", "publish", "promote", "rollback", "download");
    }
}
