package dev.abo.platform.config;

/**
 * A setting is missing or malformed. The message names the key, the value as given and what was
 * expected, e.g. {@code LINGER_MS='ten': expected an integer in [0, 10000]}.
 */
public final class ConfigException extends IllegalArgumentException {

    private final String key;
    private final String value;

    /**
     * @param value    the offending value as given, or {@code null} if the key was missing
     * @param expected what a valid value looks like
     */
    public ConfigException(String key, String value, String expected) {
        super(value == null ? key + " is not set: expected " + expected
                : key + "='" + value + "': expected " + expected);
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    /** The value as given, or {@code null} if the key was not set. */
    public String value() {
        return value;
    }
}
