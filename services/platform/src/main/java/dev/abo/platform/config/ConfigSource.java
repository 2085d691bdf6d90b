package dev.abo.platform.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Typed, validated access to flat string settings: the process environment in production, a literal map
 * in tests. Each service builds its own config record from one of these, e.g.
 *
 * <pre>{@code
 * record LoaderConfig(String sourceId, int batchSize, Duration flushInterval, Map<String, String> kafka) {
 *     static LoaderConfig from(ConfigSource c) {
 *         return new LoaderConfig(c.requiredString("SOURCE_ID"),
 *                 c.intInRange("BATCH_SIZE", 16, 1, 1024),
 *                 c.durationMs("FLUSH_INTERVAL_MS", Duration.ofSeconds(1)),
 *                 c.kafkaProperties());
 *     }
 * }
 * }</pre>
 *
 * <p>Rules: keys are UPPER_SNAKE_CASE; a blank value counts as unset (so {@code FOO=} in a compose file
 * means "use the default"); durations carry their unit in the key ({@code _MS}); every error is a
 * {@link ConfigException} naming the key, the bad value and what was expected. {@code KAFKA_*} keys are
 * passed to the Kafka clients, see {@link #kafkaProperties()}.
 */
public final class ConfigSource {

    /** Prefix of the settings passed straight to the Kafka clients. */
    public static final String KAFKA_PREFIX = "KAFKA_";

    private final Map<String, String> values;

    private ConfigSource(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The settings of this process: {@link System#getenv()}. */
    public static ConfigSource fromEnv() {
        return new ConfigSource(System.getenv());
    }

    public static ConfigSource of(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        return new ConfigSource(values);
    }

    /** A source where the entries of {@code overrides} replace those of this one. */
    public ConfigSource with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new ConfigSource(merged);
    }

    /** The trimmed value, or empty if the key is absent or blank. */
    public Optional<String> optionalString(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.trim());
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public String requiredString(String key) {
        return optionalString(key).orElseThrow(() -> new ConfigException(key, null, "a value (it is required)"));
    }

    public int intValue(String key, int defaultValue) {
        return intInRange(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}; the default must be in range too. */
    public int intInRange(String key, int defaultValue, int min, int max) {
        return (int) longInRange(key, defaultValue, min, max);
    }

    public long longValue(String key, long defaultValue) {
        return longInRange(key, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A long in {@code [min, max]}; the default must be in range too. */
    public long longInRange(String key, long defaultValue, long min, long max) {
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException("default " + defaultValue + " of " + key + " is outside [" + min + ", " + max + "]");
        }
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String expected = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "an integer"
                : max == Long.MAX_VALUE ? "an integer >= " + min
                : min == Long.MIN_VALUE ? "an integer <= " + max
                : "an integer in [" + min + ", " + max + "]";
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text.get(), expected);
        }
        if (value < min || value > max) {
            throw new ConfigException(key, text.get(), expected);
        }
        return value;
    }

    /** A finite number in {@code [min, max]}. */
    public double doubleInRange(String key, double defaultValue, double min, double max) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String expected = "a number in [" + min + ", " + max + "]";
        double value;
        try {
            value = Double.parseDouble(text.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text.get(), expected);
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key, text.get(), expected);
        }
        return value;
    }

    /** {@code true} or {@code false} (any case); anything else is an error, not {@code false}. */
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, text.get(), "true or false");
        };
    }

    /**
     * A non-negative duration given in whole milliseconds; the key must end with {@code _MS} so that the
     * unit is visible where the value is set.
     */
    public Duration durationMs(String key, Duration defaultValue) {
        if (!key.endsWith("_MS")) {
            throw new IllegalArgumentException("duration key " + key + " must end with _MS (its unit)");
        }
        return Duration.ofMillis(longInRange(key, defaultValue.toMillis(), 0, Long.MAX_VALUE));
    }

    /** A TCP port in [0, 65535]; 0 asks the OS for a free one. */
    public int port(String key, int defaultValue) {
        return intInRange(key, defaultValue, 0, 65535);
    }

    public Path path(String key, Path defaultValue) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Path.of(text.get());
        } catch (InvalidPathException e) {
            throw new ConfigException(key, text.get(), "a file system path (" + e.getReason() + ")");
        }
    }

    /** One of the constants of {@code type}, matched ignoring case ({@code zstd} selects {@code ZSTD}). */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.get())) {
                return constant;
            }
        }
        throw new ConfigException(key, text.get(), "one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /**
     * The Kafka client properties given as {@code KAFKA_*} settings: the prefix is dropped, the rest is
     * lower-cased and {@code _} becomes {@code .}, so {@code KAFKA_BOOTSTRAP_SERVERS} sets
     * {@code bootstrap.servers} and {@code KAFKA_MAX_REQUEST_SIZE} sets {@code max.request.size}. Blank
     * values are left out. Sorted by property name.
     */
    public Map<String, String> kafkaProperties() {
        Map<String, String> props = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length() && value != null && !value.isBlank()) {
                props.put(kafkaPropertyName(key), value.trim());
            }
        });
        return props;
    }

    /** {@code KAFKA_MAX_REQUEST_SIZE} -> {@code max.request.size}. */
    public static String kafkaPropertyName(String key) {
        if (!key.startsWith(KAFKA_PREFIX)) {
            throw new IllegalArgumentException(key + " does not start with " + KAFKA_PREFIX);
        }
        return key.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    @Override
    public String toString() {
        return "ConfigSource" + new TreeMap<>(values).keySet();
    }
}
