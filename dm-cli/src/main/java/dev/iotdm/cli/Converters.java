package dev.iotdm.cli;

import dev.iotdm.transport.MqttVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for option values; their messages name what was expected.
 *
 * <p>Thread-safety: stateless.
 */
final class Converters {

    private Converters() {
    }

    /** {@code 5} or {@code 3.1.1}. */
    static final class MqttVersionConverter implements ITypeConverter<MqttVersion> {
        @Override
        public MqttVersion convert(String value) {
            return switch (value.trim()) {
                case "5", "5.0" -> MqttVersion.MQTT_5;
                case "3.1.1", "3" -> MqttVersion.MQTT_3_1_1;
                default -> throw new TypeConversionException("'" + value + "' is not an MQTT version: use 5 or 3.1.1");
            };
        }
    }

    /** {@code org:type:id:token}, see {@link DeviceSpec#parse(String)}. */
    static final class DeviceSpecConverter implements ITypeConverter<DeviceSpec> {
        @Override
        public DeviceSpec convert(String value) {
            try {
                return DeviceSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
