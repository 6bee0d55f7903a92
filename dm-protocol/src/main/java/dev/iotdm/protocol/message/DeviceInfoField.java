package dev.iotdm.protocol.message;

import java.util.Objects;

/**
 * The {@code deviceInfo} field.
 *
 * @param value the device info
 */
public record DeviceInfoField(DeviceInfo value) implements FieldValue {

    /**
     * Requires a value.
     *
     * @param value the device info, not null
     */
    public DeviceInfoField {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String field() {
        return DEVICE_INFO;
    }
}
