package dev.iotdm.protocol.json;

import dev.iotdm.protocol.internal.Jackson;
import java.util.Objects;

/**
 * A JSON string.
 *
 * @param value the text; never null and well-formed UTF-16 (no unpaired surrogate)
 */
public record JsonString(String value) implements JsonValue {

    /**
     * Validates the text.
     *
     * @param value the text, not null
     * @throws IllegalArgumentException if the text has an unpaired surrogate, which UTF-8 cannot carry
     */
    public JsonString {
        Objects.requireNonNull(value, "value");
        if (!Jackson.isWellFormedUtf16(value)) {
            throw new IllegalArgumentException("value: a string with an unpaired surrogate cannot be sent as UTF-8");
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
