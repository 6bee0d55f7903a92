package dev.iotdm.protocol.json;

/**
 * A JSON {@code true} or {@code false}.
 *
 * @param value the value
 */
public record JsonBoolean(boolean value) implements JsonValue {

    /** {@code true}. */
    public static final JsonBoolean TRUE = new JsonBoolean(true);
    /** {@code false}. */
    public static final JsonBoolean FALSE = new JsonBoolean(false);

    /**
     * The shared instance for {@code value}.
     *
     * @param value the boolean
     * @return {@link #TRUE} or {@link #FALSE}
     */
    public static JsonBoolean of(boolean value) {
        return value ? TRUE : FALSE;
    }

    @Override
    public String toString() {
        return Boolean.toString(value);
    }
}
