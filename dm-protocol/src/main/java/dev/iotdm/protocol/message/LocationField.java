package dev.iotdm.protocol.message;

import java.util.Objects;

/**
 * The {@code location} field.
 *
 * @param value the location
 */
public record LocationField(Location value) implements FieldValue {

    /**
     * Requires a value.
     *
     * @param value the location, not null
     */
    public LocationField {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String field() {
        return LOCATION;
    }
}
