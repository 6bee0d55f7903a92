package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The raw bytes of an event or command payload, immutable and compared by content.
 *
 * <p>Thread-safety: immutable.
 */
public final class Payload {

    private final byte[] bytes;

    private Payload(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A payload of a copy of {@code bytes}.
     *
     * @param bytes the payload, not null; copied
     * @return the payload
     */
    public static Payload of(byte[] bytes) {
        return new Payload(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /**
     * The UTF-8 bytes of {@code text}.
     *
     * @param text the text, not null; an unpaired surrogate becomes {@code ?}
     * @return the payload
     */
    public static Payload ofUtf8(String text) {
        return new Payload(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The compact JSON of {@code value}.
     *
     * @param value the JSON value, not null
     * @return the payload
     * @throws IllegalArgumentException if the value nests deeper than 64 levels
     */
    public static Payload ofJson(JsonValue value) {
        return new Payload(value.toJsonBytes());
    }

    /**
     * A copy of the bytes.
     *
     * @return a new array on every call
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The number of bytes.
     *
     * @return the payload size in bytes
     */
    public int size() {
        return bytes.length;
    }

    /**
     * The bytes read as UTF-8 (malformed input replaced).
     *
     * @return the text; wire text, so escape it with {@code WireText.escape} before logging
     */
    public String asUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The bytes parsed as JSON.
     *
     * @return the JSON value
     * @throws IllegalArgumentException when they are not JSON
     */
    public JsonValue asJson() {
        return JsonValue.parse(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Payload[" + bytes.length + " bytes]";
    }
}
