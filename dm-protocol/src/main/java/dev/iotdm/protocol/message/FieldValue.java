package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;

/**
 * One {@code {"field": name, "value": value}} entry of a device/update, notify or observe
 * response (protocol.md §3.8, §4.2, §4.3), typed for the attributes the protocol defines.
 */
public sealed interface FieldValue permits FirmwareField, LocationField, DeviceInfoField, MetadataField, OtherField {

    /** The wire name of the {@code mgmt.firmware} attribute. */
    String FIRMWARE = "mgmt.firmware";
    /** The wire name of the {@code location} attribute. */
    String LOCATION = "location";
    /** The wire name of the {@code deviceInfo} attribute. */
    String DEVICE_INFO = "deviceInfo";
    /** The wire name of the {@code metadata} attribute. */
    String METADATA = "metadata";

    /**
     * The field name, a device-model path such as {@code mgmt.firmware}.
     *
     * @return the name as sent on the wire
     */
    String field();

    /**
     * Whether {@code name} is one of the four attributes typed here.
     *
     * @param name a field name
     * @return true for {@code mgmt.firmware}, {@code location}, {@code deviceInfo} and {@code metadata}
     */
    static boolean isTyped(String name) {
        return FIRMWARE.equals(name) || LOCATION.equals(name) || DEVICE_INFO.equals(name) || METADATA.equals(name);
    }

    /**
     * A field by name with an untyped value; for typed names use the typed records.
     *
     * @param field the field name, not empty and not one of the typed names
     * @param value the value, not null
     * @return the field value
     * @throws IllegalArgumentException if {@code field} is empty or typed
     */
    static FieldValue other(String field, JsonValue value) {
        return new OtherField(field, value);
    }
}
