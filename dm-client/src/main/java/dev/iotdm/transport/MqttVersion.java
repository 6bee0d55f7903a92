package dev.iotdm.transport;

import java.util.Set;

/**
 * The MQTT protocol version a transport speaks. The platform protocol uses 3.1.1
 * (protocol.md §1.6, §12.33); MQTT 5 is offered for test brokers and future platforms.
 */
public enum MqttVersion {
    /** MQTT 3.1.1 (protocol level 4): the version the platform expects. */
    MQTT_3_1_1,
    /** MQTT 5 (protocol level 5). */
    MQTT_5;

    /**
     * The version to use among {@code supported} when none was chosen: 3.1.1 (the platform's,
     * protocol.md §1.6) when supported, else the first one.
     *
     * @param supported the versions a transport speaks
     * @return MQTT 3.1.1 if {@code supported} contains it, else the first element of
     *     {@code supported}'s iteration order
     * @throws IllegalArgumentException if {@code supported} is empty
     */
    public static MqttVersion preferredOf(Set<MqttVersion> supported) {
        if (supported.isEmpty()) {
            throw new IllegalArgumentException("a transport must speak at least one MQTT version");
        }
        return supported.contains(MQTT_3_1_1) ? MQTT_3_1_1 : supported.iterator().next();
    }
}
