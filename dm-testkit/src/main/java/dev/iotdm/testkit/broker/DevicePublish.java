package dev.iotdm.testkit.broker;

import java.util.Arrays;
import java.util.Objects;

/**
 * One PUBLISH a device sent to the broker, as the platform receives it: who sent it (the MQTT
 * client id), the topic, a private copy of the payload bytes, the QoS, the retain flag the
 * device set (the broker never stores or forwards it as retained, protocol.md §1.9) and the DUP
 * flag: set when the PUBLISH is a redelivery of one sent before (MQTT 3.1.1 §3.3.1.1), so that a
 * reader can tell a repeated message from a new one with the same content.
 *
 * <p>Immutable: the payload is copied in and out. Thread-safe.
 *
 * @param clientId the sender's MQTT client id, e.g. {@code d:org1:sensor:A}
 * @param topic the topic name the device published on
 * @param payload the payload bytes (a copy)
 * @param qos 0, 1 or 2 as sent by the device
 * @param retain the retain flag as sent by the device
 * @param duplicate the DUP flag of the PUBLISH as the platform received it: a redelivery
 */
public record DevicePublish(String clientId, String topic, byte[] payload, int qos, boolean retain,
        boolean duplicate) {

    /**
     * Validates and copies the payload.
     *
     * @param clientId the sender's MQTT client id; not {@code null}
     * @param topic the topic name; not {@code null}
     * @param payload the payload bytes; not {@code null}; copied
     * @param qos 0, 1 or 2
     * @param retain the retain flag as sent
     * @param duplicate the DUP flag as received
     * @throws IllegalArgumentException if {@code qos} is out of range
     */
    public DevicePublish {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
        payload = payload.clone();
    }

    /**
     * A first delivery (DUP not set).
     *
     * @param clientId the sender's MQTT client id
     * @param topic the topic name
     * @param payload the payload bytes (copied)
     * @param qos 0, 1 or 2
     * @param retain the retain flag as sent
     */
    public DevicePublish(String clientId, String topic, byte[] payload, int qos, boolean retain) {
        this(clientId, topic, payload, qos, retain, false);
    }

    /**
     * A copy of the payload bytes.
     *
     * @return a new array each call; see {@link #payloadSize()} to avoid the copy
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload length without copying it.
     *
     * @return the number of payload bytes
     */
    public int payloadSize() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DevicePublish p && clientId.equals(p.clientId) && topic.equals(p.topic)
                && Arrays.equals(payload, p.payload) && qos == p.qos && retain == p.retain
                && duplicate == p.duplicate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, topic, Arrays.hashCode(payload), qos, retain, duplicate);
    }

    /** Shows the payload size, not its content (it may be large or binary). */
    @Override
    public String toString() {
        return "DevicePublish[clientId=" + clientId + ", topic=" + topic + ", payload=" + payload.length
                + " bytes, qos=" + qos + ", retain=" + retain + ", duplicate=" + duplicate + "]";
    }
}
