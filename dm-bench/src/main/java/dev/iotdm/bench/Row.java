package dev.iotdm.bench;

import dev.iotdm.transport.MqttVersion;
import java.util.List;
import java.util.Objects;

/**
 * A transport row of the P2 and P3 tables (transports are found through ServiceLoader).
 *
 * @param transport the transport provider name, found through ServiceLoader
 * @param mqttVersion the MQTT version the device speaks over it
 */
record Row(String transport, MqttVersion mqttVersion) {

    /** The rows measured: both transports over MQTT 5 (Paho speaks nothing else). */
    static final List<Row> ALL = List.of(new Row("paho", MqttVersion.MQTT_5), new Row("netty", MqttVersion.MQTT_5));

    /** Requires both. */
    Row {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mqttVersion, "mqttVersion");
    }

    /** {@code paho (MQTT 5)}. */
    String label() {
        return transport + " (" + (mqttVersion == MqttVersion.MQTT_5 ? "MQTT 5" : "MQTT 3.1.1") + ")";
    }
}
