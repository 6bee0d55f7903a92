package dev.iotdm.protocol.message;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code deviceInfo} attributes of the device model (protocol.md §3.1, §11), all optional
 * strings. Manage replaces the stored object, so a device sends its whole known set each time;
 * only attributes with values go on the wire (§12.24).
 *
 * @param serialNumber serial number
 * @param manufacturer manufacturer
 * @param model model
 * @param deviceClass device class
 * @param description description
 * @param fwVersion the installed firmware version
 * @param hwVersion hardware version
 * @param descriptiveLocation descriptive location
 */
public record DeviceInfo(
        Optional<String> serialNumber,
        Optional<String> manufacturer,
        Optional<String> model,
        Optional<String> deviceClass,
        Optional<String> description,
        Optional<String> fwVersion,
        Optional<String> hwVersion,
        Optional<String> descriptiveLocation) {

    /** The wire names of the attributes, in canonical order. */
    public static final java.util.List<String> KEYS = java.util.List.of("serialNumber", "manufacturer", "model",
            "deviceClass", "description", "fwVersion", "hwVersion", "descriptiveLocation");

    /** A device info with no attribute set. */
    public static final DeviceInfo EMPTY = builder().build();

    /**
     * Requires non-null optionals.
     *
     * @param serialNumber serial number, not null
     * @param manufacturer manufacturer, not null
     * @param model model, not null
     * @param deviceClass device class, not null
     * @param description description, not null
     * @param fwVersion the installed firmware version, not null
     * @param hwVersion hardware version, not null
     * @param descriptiveLocation descriptive location, not null
     */
    public DeviceInfo {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(deviceClass, "deviceClass");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(fwVersion, "fwVersion");
        Objects.requireNonNull(hwVersion, "hwVersion");
        Objects.requireNonNull(descriptiveLocation, "descriptiveLocation");
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this value.
     *
     * @return a new builder holding this value's attributes
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (String key : KEYS) {
            b.set(key, get(key).orElse(null));
        }
        return b;
    }

    /**
     * This info with {@code fwVersion} replaced.
     *
     * @param version the new firmware version, or null to unset it
     * @return a new value; this one is unchanged
     */
    public DeviceInfo withFwVersion(String version) {
        return toBuilder().fwVersion(version).build();
    }

    /**
     * The attribute with wire name {@code key}; empty for unset or unknown keys.
     *
     * @param key a wire name such as {@code "fwVersion"}, case-sensitive
     * @return the attribute's value
     */
    public Optional<String> get(String key) {
        return switch (key) {
            case "serialNumber" -> serialNumber;
            case "manufacturer" -> manufacturer;
            case "model" -> model;
            case "deviceClass" -> deviceClass;
            case "description" -> description;
            case "fwVersion" -> fwVersion;
            case "hwVersion" -> hwVersion;
            case "descriptiveLocation" -> descriptiveLocation;
            default -> Optional.empty();
        };
    }

    /** Builds a {@link DeviceInfo}; {@code null} leaves an attribute unset. Not thread-safe. */
    public static final class Builder {
        private final String[] values = new String[KEYS.size()];

        private Builder() {
        }

        /**
         * Sets the attribute with wire name {@code key}.
         *
         * @param key a wire name such as {@code "fwVersion"}, case-sensitive
         * @param value the value, or null to unset it
         * @return this builder
         * @throws IllegalArgumentException for a key that is not a deviceInfo attribute
         */
        public Builder set(String key, String value) {
            int i = KEYS.indexOf(key);
            if (i < 0) {
                throw new IllegalArgumentException("deviceInfo has no attribute '" + key + "'; known: " + KEYS);
            }
            values[i] = value;
            return this;
        }

        /**
         * Sets the serial number.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder serialNumber(String v) {
            return set("serialNumber", v);
        }

        /**
         * Sets the manufacturer.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder manufacturer(String v) {
            return set("manufacturer", v);
        }

        /**
         * Sets the model.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder model(String v) {
            return set("model", v);
        }

        /**
         * Sets the device class.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder deviceClass(String v) {
            return set("deviceClass", v);
        }

        /**
         * Sets the description.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder description(String v) {
            return set("description", v);
        }

        /**
         * Sets the installed firmware version.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder fwVersion(String v) {
            return set("fwVersion", v);
        }

        /**
         * Sets the hardware version.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder hwVersion(String v) {
            return set("hwVersion", v);
        }

        /**
         * Sets the descriptive location.
         *
         * @param v the value as sent on the wire, or null to leave it unset
         * @return this builder
         */
        public Builder descriptiveLocation(String v) {
            return set("descriptiveLocation", v);
        }

        /**
         * The device info.
         *
         * @return a new immutable value; the builder can go on
         */
        public DeviceInfo build() {
            return new DeviceInfo(Optional.ofNullable(values[0]), Optional.ofNullable(values[1]),
                    Optional.ofNullable(values[2]), Optional.ofNullable(values[3]), Optional.ofNullable(values[4]),
                    Optional.ofNullable(values[5]), Optional.ofNullable(values[6]), Optional.ofNullable(values[7]));
        }
    }
}
