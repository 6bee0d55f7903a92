package dev.iotdm.testkit.raw;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A PUBLISH packet (MQTT 3.1.1 §3.3), incoming or outgoing. Immutable: the payload is copied in and
 * out.
 *
 * @param topic the Topic Name (§3.3.2.1)
 * @param payload the Application Message (§3.3.3)
 * @param qos the QoS level 0, 1 or 2 (§3.3.1.2)
 * @param retain the RETAIN flag (§3.3.1.3)
 * @param dup the DUP flag (§3.3.1.1); must be false for QoS 0 (§3.3.1.1)
 * @param packetId the Packet Identifier (§3.3.2.2), 0 for QoS 0; for an outgoing QoS 1 publish, 0
 *     lets the client pick the next free one
 */
public record MqttPublish(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {

    /**
     * Validates the fields, naming the bad one, and copies the payload.
     *
     * @param topic the Topic Name; not {@code null}
     * @param payload the Application Message; not {@code null}, copied
     * @param qos 0, 1 or 2
     * @param retain the RETAIN flag
     * @param dup the DUP flag; only with QoS 1 or 2
     * @param packetId 0..65535; 0 for QoS 0
     * @throws NullPointerException if {@code topic} or {@code payload} is {@code null}
     * @throws IllegalArgumentException if the QoS or packet id is out of range, or a QoS 0 publish
     *     has a DUP flag or a packet id
     */
    public MqttPublish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
        if (qos == 0 && (dup || packetId != 0)) {
            throw new IllegalArgumentException("a QoS 0 publish has no DUP flag and no packet id (§3.3.1.1, §3.3.2.2)");
        }
        if (packetId < 0 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packetId must be 0..65535, was " + packetId);
        }
        payload = payload.clone();
    }

    /**
     * An outgoing publish without retain or dup, packet id chosen by the client.
     *
     * @param topic the Topic Name; not {@code null}
     * @param payload the message bytes; not {@code null}, copied
     * @param qos 0, 1 or 2
     * @return the publish, packet id 0
     * @throws IllegalArgumentException if {@code qos} is not 0, 1 or 2
     */
    public static MqttPublish of(String topic, byte[] payload, int qos) {
        return new MqttPublish(topic, payload, qos, false, false, 0);
    }

    /**
     * An outgoing publish with a UTF-8 text payload.
     *
     * @param topic the Topic Name; not {@code null}
     * @param payload the message text, encoded as UTF-8; not {@code null}
     * @param qos 0, 1 or 2
     * @return the publish, packet id 0
     * @throws IllegalArgumentException if {@code qos} is not 0, 1 or 2
     */
    public static MqttPublish of(String topic, String payload, int qos) {
        return of(topic, payload.getBytes(StandardCharsets.UTF_8), qos);
    }

    /**
     * A copy with this RETAIN flag.
     *
     * @param retain whether the broker keeps the message for later subscribers
     * @return a copy, the other fields unchanged
     */
    public MqttPublish withRetain(boolean retain) {
        return new MqttPublish(topic, payload, qos, retain, dup, packetId);
    }

    /**
     * A copy with this DUP flag and packet id, e.g. to resend a QoS 1 message (§4.3.2).
     *
     * @param dup the DUP flag; only with QoS 1 or 2
     * @param packetId 1..65535 for QoS 1 or 2 (0 lets the client pick one); 0 for QoS 0
     * @return a copy, the other fields unchanged
     * @throws IllegalArgumentException if the flags do not fit the QoS
     */
    public MqttPublish withDup(boolean dup, int packetId) {
        return new MqttPublish(topic, payload, qos, retain, dup, packetId);
    }

    /**
     * A copy of the payload bytes.
     *
     * @return a new array each call; changing it changes nothing here
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload decoded as UTF-8.
     *
     * @return the text; malformed bytes become U+FFFD
     */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttPublish p && topic.equals(p.topic) && Arrays.equals(payload, p.payload)
                && qos == p.qos && retain == p.retain && dup == p.dup && packetId == p.packetId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup, packetId);
    }

    /** A one-line summary; shows short payloads, the size of long ones. */
    @Override
    public String toString() {
        String body = payload.length <= 80 ? "'" + payloadText().replaceAll("\\p{Cntrl}", "?") + "'"
                : payload.length + " bytes";
        return "PUBLISH[topic=" + topic + ", qos=" + qos + (retain ? ", retain" : "") + (dup ? ", dup" : "")
                + (packetId != 0 ? ", id=" + packetId : "") + ", payload=" + body + "]";
    }
}
