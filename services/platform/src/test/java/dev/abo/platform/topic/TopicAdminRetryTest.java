package dev.abo.platform.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * Checking topics right after another client created them: the broker may answer UNKNOWN_TOPIC_OR_PARTITION for
 * a topic it has just listed (seen in StreamBenchCommandTest while a producer auto-created the topic); that is
 * retried, other errors are not.
 */
class TopicAdminRetryTest {
    private static IllegalStateException failedWith(Exception cause) {
        return new IllegalStateException("cannot describe topics [t]: " + cause.getMessage(), cause);
    }

    @Test
    void aRetriableErrorIsRetriedUntilTheStepSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = TopicAdmin.retryWhileRetriable(() -> {
            if (calls.incrementAndGet() < 3) {
                throw failedWith(new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
            }
            return "described";
        }, Duration.ofSeconds(5), Duration.ofMillis(1));
        assertThat(result).isEqualTo("described");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aNonRetriableErrorFailsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TopicAdmin.retryWhileRetriable(() -> {
            calls.incrementAndGet();
            throw failedWith(new TopicAuthorizationException("not allowed"));
        }, Duration.ofSeconds(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aRetriableErrorThatOutlastsTheTimeoutIsThrown() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TopicAdmin.retryWhileRetriable(() -> {
            calls.incrementAndGet();
            throw failedWith(new UnknownTopicOrPartitionException("still unknown"));
        }, Duration.ofMillis(50), Duration.ofMillis(20)))
                .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(UnknownTopicOrPartitionException.class)
                .hasMessageContaining("still unknown");
        // attempts at about 0, 20 and 40 ms; a fourth would start after the 50 ms timeout
        assertThat(calls.get()).isBetween(2, 3);
    }
}
