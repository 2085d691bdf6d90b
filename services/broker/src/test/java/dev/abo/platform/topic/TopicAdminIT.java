package dev.abo.platform.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.abo.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicAdminIT {

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaBroker.sharedForTests().bootstrapServers()));
    }

    @Test
    void createsTheCatalogueWithItsConfigsAndThenOnlyVerifies() throws Exception {
        try (Admin admin = admin()) {
            Set<String> created = TopicAdmin.ensure(admin, Topics.all());
            // another test class may have created some already; the union is the catalogue
            Set<String> again = TopicAdmin.ensure(admin, Topics.all());
            assertThat(again).isEmpty();
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(
                    Topics.all().stream().map(TopicSpec::name).toList());
            assertThat(created).isSubsetOf(Topics.all().stream().map(TopicSpec::name).toList());

            assertThat(admin.describeTopics(List.of("train.batches")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("train.batches").partitions()).hasSize(3);
            ConfigResource snapshots = new ConfigResource(ConfigResource.Type.TOPIC, "anchors.snapshots");
            ConfigResource batches = new ConfigResource(ConfigResource.Type.TOPIC, "train.batches");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(snapshots, batches)).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(snapshots).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(batches).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(batches).get("max.message.bytes").value()).isEqualTo("16777216");
            assertThat(configs.get(batches).get("compression.type").value()).isEqualTo("producer");
        }
    }

    @Test
    void rejectsAnExistingTopicThatDiffersFromItsDeclaration() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("mismatch.snapshots", 2, (short) 1)
                    .configs(Map.of("max.message.bytes", "1000")))).all().get(30, TimeUnit.SECONDS);
            TopicSpec<String, String> declared = new TopicSpec<>("mismatch.snapshots", Serdes.String(), Serdes.String(),
                    1, (short) 1, Map.of("cleanup.policy", "compact", "max.message.bytes", "2000"));
            TopicSpec<String, String> fine = new TopicSpec<>("mismatch.fine", Serdes.String(), Serdes.String(),
                    1, (short) 1, Map.of());

            assertThatThrownBy(() -> TopicAdmin.ensure(admin, List.of(fine, declared)))
                    .isInstanceOfSatisfying(TopicMismatchException.class, e -> assertThat(e.problems()).containsExactly(
                            "topic mismatch.snapshots: has 2 partitions, declared 1",
                            "topic mismatch.snapshots: cleanup.policy is delete, declared compact",
                            "topic mismatch.snapshots: max.message.bytes is 1000, declared 2000 (larger records would be rejected)"))
                    .hasMessageStartingWith("existing topics do not match their declaration: topic mismatch.snapshots: ");
            // the matching topic in the same call was still created
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("mismatch.fine");
        }
    }
}
