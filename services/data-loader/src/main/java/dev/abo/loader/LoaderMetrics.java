package dev.abo.loader;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The loader's meters, all tagged {@code source} (the source id). Prometheus names:
 * <ul>
 *   <li>{@code abo_loader_batches_total{topic}}, {@code abo_loader_bytes_total{topic}}: batches and value
 *       bytes acknowledged by the broker; batches/s and bytes/s are their {@code rate()};</li>
 *   <li>{@code abo_loader_errors_total{kind}}: {@link ErrorKind}s, every kind registered at 0;</li>
 *   <li>{@code abo_loader_sequence{topic}}: the next sequence number the loader will send;</li>
 *   <li>{@code abo_loader_lag_batches}: batches on the train topic the trainer group has not committed,
 *       as last measured; {@code abo_loader_paused}: 1 while the lag cap holds the loader back;</li>
 *   <li>{@code abo_loader_in_flight}: batches sent and not yet acknowledged.</li>
 * </ul>
 * The producer's own metrics (retries: {@code kafka_producer_record_retry_total}) are bound by the service.
 */
public final class LoaderMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<ErrorKind, Counter> errors = new EnumMap<>(ErrorKind.class);
    private final Map<String, Counter> batches = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong paused = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    public LoaderMetrics(MeterRegistry registry, String sourceId) {
        this.registry = registry;
        this.tags = Tags.of("source", sourceId);
        for (ErrorKind k : ErrorKind.values()) {
            errors.put(k, Counter.builder("abo.loader.errors").description("Loader errors by kind")
                    .tags(tags).tag("kind", k.tag()).register(registry));
        }
        Gauge.builder("abo.loader.lag.batches", lag, AtomicLong::get)
                .description("Batches on the train topic not yet committed by the trainer group").tags(tags).register(registry);
        Gauge.builder("abo.loader.paused", paused, AtomicLong::get)
                .description("1 while the lag cap holds the loader back").tags(tags).register(registry);
        Gauge.builder("abo.loader.in.flight", inFlight, AtomicLong::get)
                .description("Batches sent and not yet acknowledged").tags(tags).register(registry);
    }

    /** A batch of {@code valueBytes} acknowledged on {@code topic}. */
    public void acked(String topic, int valueBytes) {
        batches.computeIfAbsent(topic, t -> Counter.builder("abo.loader.batches")
                .description("Batches acknowledged by the broker").tags(tags).tag("topic", t).register(registry)).increment();
        bytes.computeIfAbsent(topic, t -> Counter.builder("abo.loader.bytes")
                .description("Record value bytes acknowledged by the broker").tags(tags).tag("topic", t).register(registry))
                .increment(valueBytes);
    }

    public void error(ErrorKind kind) {
        errors.get(kind).increment();
    }

    public void sequence(String topic, long next) {
        sequences.computeIfAbsent(topic, t -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("abo.loader.sequence", v, AtomicLong::get)
                    .description("Next sequence number this loader sends").tags(tags).tag("topic", t).register(registry);
            return v;
        }).set(next);
    }

    public void lag(long batches) {
        lag.set(batches);
    }

    public void paused(boolean isPaused) {
        paused.set(isPaused ? 1 : 0);
    }

    void inFlight(long n) {
        inFlight.set(n);
    }

    /** Batches acknowledged on {@code topic} by this process. */
    public long batches(String topic) {
        Counter c = batches.get(topic);
        return c == null ? 0 : (long) c.count();
    }

    /** Value bytes acknowledged on {@code topic} by this process. */
    public long bytes(String topic) {
        Counter c = bytes.get(topic);
        return c == null ? 0 : (long) c.count();
    }

    /** The next sequence number this loader sends to {@code topic} ({@code abo_loader_sequence}); 0 before it knows. */
    public long nextSequence(String topic) {
        AtomicLong v = sequences.get(topic);
        return v == null ? 0 : v.get();
    }

    public long errors(ErrorKind kind) {
        return (long) errors.get(kind).count();
    }

    public long lag() {
        return lag.get();
    }

    public boolean isPaused() {
        return paused.get() == 1;
    }
}
