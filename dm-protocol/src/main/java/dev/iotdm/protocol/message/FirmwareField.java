package dev.iotdm.protocol.message;

import java.util.Objects;

/**
 * The {@code mgmt.firmware} field, whole or partial.
 *
 * @param value the firmware object
 */
public record FirmwareField(FirmwareInfo value) implements FieldValue {

    /**
     * Requires a value.
     *
     * @param value the firmware object, not null
     */
    public FirmwareField {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String field() {
        return FIRMWARE;
    }
}
