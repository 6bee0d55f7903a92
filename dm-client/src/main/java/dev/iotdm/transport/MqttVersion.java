package dev.iotdm.transport;

/**
 * The MQTT protocol version a transport speaks. The platform protocol uses 3.1.1
 * (protocol.md §1.6, §12.33); MQTT 5 is offered for test brokers and future platforms.
 */
public enum MqttVersion {
    /** MQTT 3.1.1 (protocol level 4): the version the platform expects. */
    MQTT_3_1_1,
    /** MQTT 5 (protocol level 5). */
    MQTT_5
}
