package dev.iotdm.client.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A device configuration could not be read. The message names the source (a file path or
 * {@code environment}), the key, and what is wrong, e.g.
 * {@code /etc/device.ini: port: must be 1883 or 80 (plain) or 8883 or 443 (TLS), was '1234'}.
 * It never contains the token.
 *
 * <p>Unchecked: it reports a configuration mistake to fix, not a condition to handle at run time.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The file path or {@code environment}. */
    private final String source;
    /** The offending key or variable, or null. */
    private final String key;

    /**
     * Creates the exception.
     *
     * @param source the file path or {@code environment}
     * @param key the offending key or variable, or null when the problem is not about one key
     * @param problem what is wrong
     */
    public ConfigurationException(String source, String key, String problem) {
        this(source, key, problem, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param source the file path or {@code environment}
     * @param key the offending key or variable, or null when the problem is not about one key
     * @param problem what is wrong
     * @param cause the underlying exception, may be null
     */
    public ConfigurationException(String source, String key, String problem, Throwable cause) {
        super(Objects.requireNonNull(source, "source") + ": " + (key == null ? "" : key + ": ")
                + Objects.requireNonNull(problem, "problem"), cause);
        this.source = source;
        this.key = key;
    }

    /**
     * Where the configuration came from.
     *
     * @return the file path or {@code environment}
     */
    public String source() {
        return source;
    }

    /**
     * What was wrong in it.
     *
     * @return the offending key or variable, or empty when the problem is not about one key
     */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
