package dev.iotdm.testkit.broker;

import java.util.Arrays;
import java.util.Objects;

/**
 * One PUBLISH a device sent to the broker, as the platform receives it: who sent it (the MQTT
 * client id), the topic, a private copy of the payload bytes, the QoS and the retain flag the
 * device set (the broker never stores or forwards it as retained, protocol.md §1.9).
 *
 * <p>Immutable: the payload is copied in and out. Thread-safe.
 *
 * @param clientId the sender's MQTT client id, e.g. {@code d:org1:sensor:A}
 * @param topic the topic name the device published on
 * @param payload the payload bytes (a copy)
 * @param qos 0, 1 or 2 as sent by the device
 * @param retain the retain flag as sent by the device
 */
public record DevicePublish(String clientId, String topic, byte[] payload, int qos, boolean retain) {

    /** Validates and copies the payload. */
    public DevicePublish {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
        payload = payload.clone();
    }

    /** A copy of the payload bytes. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload length without copying it. */
    public int payloadSize() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DevicePublish p && clientId.equals(p.clientId) && topic.equals(p.topic)
                && Arrays.equals(payload, p.payload) && qos == p.qos && retain == p.retain;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, topic, Arrays.hashCode(payload), qos, retain);
    }

    /** Shows the payload size, not its content (it may be large or binary). */
    @Override
    public String toString() {
        return "DevicePublish[clientId=" + clientId + ", topic=" + topic + ", payload=" + payload.length
                + " bytes, qos=" + qos + ", retain=" + retain + "]";
    }
}
