package dev.abo.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.abo.broker.EmbeddedKafkaBroker;
import dev.abo.platform.config.ConfigSource;
import dev.abo.platform.kafka.KafkaClients;
import dev.abo.platform.topic.TopicAdmin;
import dev.abo.proto.training.v1.TrainingBatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka static membership ({@code ABO_GROUP_INSTANCE_ID}, classic group protocol): a trainer started in place of a
 * crashed one with the same instance id gets the partitions at once, not after the session timeout (here 30 s).
 *
 * <p>The crashed trainer is its own consumer (the trainer's consumer properties), a member of the group that
 * holds every partition and is then abandoned: it never polls or closes again. Its heartbeat thread keeps its
 * session alive, so the broker cannot hand the partitions over by expiring it, nor could a rebalance complete
 * without it (it would wait for the rebalance timeout, 5 minutes): the new trainer can only get them by
 * replacing the member that owns its instance id, which is what a restarted pod does after a SIGKILL (there the
 * old session would run out after 30 s). About 5 s: no model is built, nothing is trained.
 */
class StaticMembershipIT {

    private static final long SESSION_TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void aTrainerWithTheCrashedOnesInstanceIdGetsItsPartitionsWithoutWaitingForTheSessionTimeout() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.sharedForTests();
        Map<String, String> env = TrainerEnv.tiny(broker.bootstrapServers(), "static", dir);
        env.put("ABO_GROUP_INSTANCE_ID", "trainer-0");
        env.put("KAFKA_SESSION_TIMEOUT_MS", String.valueOf(SESSION_TIMEOUT_MS));
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");          // the fenced member learns it within a second
        TrainerConfig config = TrainerConfig.from(env);
        ConfigSource source = ConfigSource.of(env);
        try (Admin admin = KafkaClients.admin(source)) {
            TopicAdmin.ensure(admin, List.of(config.trainSpec()));
        }
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < config.trainSpec().partitions(); p++) {
            all.add(new TopicPartition(config.trainTopic(), p));
        }

        KafkaConsumer<String, TrainingBatch> crashed = new KafkaConsumer<>(config.trainConsumerProperties(),
                config.trainSpec().keySerde().deserializer(), config.trainSpec().valueSerde().deserializer());
        try {
            crashed.subscribe(List.of(config.trainTopic()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (crashed.assignment().isEmpty() && System.nanoTime() < deadline) {
                crashed.poll(Duration.ofMillis(200));
            }
            assertThat(crashed.assignment()).as("the first trainer's partitions").isEqualTo(all);
            // from here on the first trainer is gone: no poll, no close

            AtomicLong assignedAfterMs = new AtomicLong(-1);
            AtomicReference<Set<TopicPartition>> assigned = new AtomicReference<>();
            CountDownLatch gotPartitions = new CountDownLatch(1);
            long start = System.nanoTime();
            try (RunningTrainer restarted = new RunningTrainer(config, new TrainerListener() {
                @Override
                public void onAssigned(java.util.Collection<TopicPartition> partitions) {
                    assignedAfterMs.compareAndSet(-1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    assigned.set(new HashSet<>(partitions));
                    gotPartitions.countDown();
                }
            })) {
                restarted.await(gotPartitions, "the restarted trainer's partitions");
                System.out.printf("static membership: the restarted trainer had its partitions after %d ms (session timeout %d ms)%n",
                        assignedAfterMs.get(), SESSION_TIMEOUT_MS);
                assertThat(assigned.get()).isEqualTo(all);
                // well before the session timeout (and its own start, with topics, clients and a checkpoint look-up, is included)
                assertThat(assignedAfterMs.get()).isLessThan(SESSION_TIMEOUT_MS / 3);

                // the broker replaced the member: one member, with that instance id, holding every partition
                try (Admin admin = KafkaClients.admin(source)) {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(config.groupId()))
                            .describedGroups().get(config.groupId()).get(10, TimeUnit.SECONDS);
                    assertThat(group.members()).hasSize(1);
                    MemberDescription member = group.members().iterator().next();
                    assertThat(member.groupInstanceId()).hasValue("trainer-0");
                    assertThat(member.assignment().topicPartitions()).isEqualTo(all);
                }
                // ... and fenced the first one: were it still running, its next poll would fail, not read on
                assertThatThrownBy(() -> {
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (System.nanoTime() < until) {
                        crashed.poll(Duration.ofMillis(200));
                    }
                }).isInstanceOf(FencedInstanceIdException.class);
                restarted.stopAndAwait();
            }
        } finally {
            try {
                crashed.close();
            } catch (RuntimeException fenced) {
                // closing a fenced member may fail: nothing to clean up on the broker
            }
        }
    }
}
