package dev.abo.platform.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the declared topics that are missing and checks the ones that exist. Every service calls
 * {@link #ensure} at start-up for the topics it reads or writes; concurrent calls from several services
 * are safe (a topic created meanwhile by another is checked like any existing one).
 */
public final class TopicAdmin {

    /** Deadline of each admin call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private TopicAdmin() {
    }

    /** {@link #ensure(Admin, Collection, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static Set<String> ensure(Admin admin, Collection<? extends TopicSpec<?, ?>> specs) {
        return ensure(admin, specs, DEFAULT_TIMEOUT);
    }

    /**
     * Creates missing topics with their partitions, replication factor and configs; checks that existing
     * ones have the declared partition count and {@code cleanup.policy} and a {@code max.message.bytes} at
     * least as large as declared.
     *
     * @return the names of the topics this call created
     * @throws TopicMismatchException listing every mismatch, each naming the topic, what it is and what
     *                                was declared
     * @throws IllegalStateException  if the broker does not answer within {@code timeout}
     */
    public static Set<String> ensure(Admin admin, Collection<? extends TopicSpec<?, ?>> specs, Duration timeout) {
        Map<String, TopicSpec<?, ?>> byName = specs.stream()
                .collect(Collectors.toMap(TopicSpec::name, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("topic " + a.name() + " is declared twice");
                }));
        Set<String> existing = get(admin.listTopics().names(), timeout, "list topics");
        List<TopicSpec<?, ?>> missing = byName.values().stream().filter(s -> !existing.contains(s.name())).toList();
        Set<String> created = new TreeSet<>();
        if (!missing.isEmpty()) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(missing.stream().map(TopicSpec::newTopic).toList())
                    .values();
            for (Map.Entry<String, KafkaFuture<Void>> r : results.entrySet()) {
                try {
                    get(r.getValue(), timeout, "create topic " + r.getKey());
                    created.add(r.getKey());
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // created by another service since we listed: checked below like any existing topic
                }
            }
        }
        List<String> toCheck = byName.keySet().stream().filter(n -> !created.contains(n)).sorted().toList();
        if (!toCheck.isEmpty()) {
            List<String> problems = retryWhileRetriable(() -> check(admin, toCheck.stream().map(byName::get).toList(), timeout),
                    timeout, RETRY_BACKOFF);
            if (!problems.isEmpty()) {
                throw new TopicMismatchException(problems);
            }
        }
        return created;
    }

    /** Pause between attempts of a step the broker answered with a retriable error. */
    static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    /**
     * Runs {@code step} until it returns, again after {@code backoff} while it fails with a retriable Kafka error
     * (e.g. UNKNOWN_TOPIC_OR_PARTITION: a topic another client has just created, listed or refused as existing,
     * that the broker's metadata does not describe yet), at most until {@code timeout} has passed; then that error.
     */
    static <T> T retryWhileRetriable(java.util.function.Supplier<T> step, Duration timeout, Duration backoff) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return step.get();
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                        || System.nanoTime() + backoff.toNanos() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to retry", e);
            }
        }
    }

    private static List<String> check(Admin admin, List<TopicSpec<?, ?>> specs, Duration timeout) {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = get(admin.describeTopics(names).allTopicNames(), timeout,
                "describe topics " + names);
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), timeout,
                "describe configs of " + names);
        List<String> problems = new ArrayList<>();
        for (TopicSpec<?, ?> spec : specs) {
            String name = spec.name();
            int partitions = descriptions.get(name).partitions().size();
            if (partitions != spec.partitions()) {
                problems.add("topic " + name + ": has " + partitions + " partitions, declared " + spec.partitions());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
            if (!normalisedPolicy(policy).equals(normalisedPolicy(spec.cleanupPolicy()))) {
                problems.add("topic " + name + ": cleanup.policy is " + policy + ", declared " + spec.cleanupPolicy());
            }
            String maxBytes = value(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (maxBytes != null && Integer.parseInt(maxBytes) < spec.maxMessageBytes()) {
                problems.add("topic " + name + ": max.message.bytes is " + maxBytes + ", declared "
                        + spec.maxMessageBytes() + " (larger records would be rejected)");
            }
        }
        return problems;
    }

    private static String value(Config config, String name) {
        return config == null || config.get(name) == null ? null : config.get(name).value();
    }

    private static Set<String> normalisedPolicy(String policy) {
        return policy == null ? Set.of() : Set.of(policy.replace(" ", "").split(","));
    }

    private static <T> T get(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
