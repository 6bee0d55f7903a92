package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import java.util.Objects;

/**
 * A custom-action parameter: REST {@code parameters[].name/value} arrive as
 * {@code d.fields[].field/value} (protocol.md §8.3).
 *
 * @param name the parameter name
 * @param value the value, any JSON (normally a string)
 */
public record Parameter(String name, JsonValue value) {

    /**
     * Requires both parts.
     *
     * @param name the parameter name, not null
     * @param value the value, any JSON (normally a string); not null
     */
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
