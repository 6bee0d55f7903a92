package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import java.util.Objects;

/**
 * Any other field, such as {@code deviceInfo.fwVersion} or an attribute the device does not
 * model; kept as JSON.
 *
 * @param field the field name, not empty and not one of the four typed names
 * @param value the value
 */
public record OtherField(String field, JsonValue value) implements FieldValue {

    /**
     * Requires a non-empty name that is not typed elsewhere, so that every field has one
     * representation and every field we send can be read back (the decoder refuses empty names).
     *
     * @param field the field name, not empty and not one of the four typed names; not null
     * @param value the value, not null
     * @throws IllegalArgumentException if the name is empty or one of the four typed names
     */
    public OtherField {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        if (field.isEmpty()) {
            throw new IllegalArgumentException("field name must not be empty");
        }
        if (FieldValue.isTyped(field)) {
            throw new IllegalArgumentException("field '" + field + "' has a typed record; use it instead of OtherField");
        }
    }
}
