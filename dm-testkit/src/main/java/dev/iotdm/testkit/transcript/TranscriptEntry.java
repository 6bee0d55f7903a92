package dev.iotdm.testkit.transcript;

import dev.iotdm.protocol.topic.Direction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message the platform saw or sent: the unit of transcripts and of the rule checker.
 *
 * <p>Thread-safety: immutable (the payload is copied in and out).
 */
public final class TranscriptEntry implements TranscriptItem {

    private final Instant time;
    private final Direction direction;
    private final String clientId;
    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retain;
    private final boolean duplicate;

    /**
     * An entry.
     *
     * @param time when the platform saw or sent it
     * @param direction device to platform, or platform to device
     * @param clientId the device's MQTT client id
     * @param topic the topic
     * @param payload the payload (copied)
     * @param qos the QoS of the publish
     * @param retain the retain flag as the device sent it
     */
    public TranscriptEntry(Instant time, Direction direction, String clientId, String topic, byte[] payload, int qos,
            boolean retain) {
        this(time, direction, clientId, topic, payload, qos, retain, false);
    }

    /**
     * An entry that may be a redelivery.
     *
     * @param time when the platform saw or sent it
     * @param direction device to platform, or platform to device
     * @param clientId the device's MQTT client id
     * @param topic the topic
     * @param payload the payload (copied)
     * @param qos the QoS of the publish
     * @param retain the retain flag as the device sent it
     * @param duplicate the DUP flag as the platform received it: the broker or the device redelivered a
     *        PUBLISH sent before (MQTT 3.1.1 §3.3.1.1), so the same message may appear twice
     */
    public TranscriptEntry(Instant time, Direction direction, String clientId, String topic, byte[] payload, int qos,
            boolean retain, boolean duplicate) {
        this.time = Objects.requireNonNull(time, "time");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.payload = Objects.requireNonNull(payload, "payload").clone();
        this.qos = qos;
        this.retain = retain;
        this.duplicate = duplicate;
    }

    /** When. */
    @Override
    public Instant time() {
        return time;
    }

    /**
     * Which way.
     *
     * @return device to platform or platform to device; never {@code null}
     */
    public Direction direction() {
        return direction;
    }

    /** The device's client id. */
    @Override
    public String clientId() {
        return clientId;
    }

    /**
     * The topic.
     *
     * @return the MQTT topic exactly as published, unescaped; never {@code null}
     */
    public String topic() {
        return topic;
    }

    /**
     * A copy of the payload.
     *
     * @return a new array each call
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload as UTF-8 text (malformed bytes replaced).
     *
     * @return the text, unescaped: pass it through {@code WireText.escape} before logging
     */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The QoS.
     *
     * @return the QoS of the publish, 0, 1 or 2
     */
    public int qos() {
        return qos;
    }

    /**
     * The retain flag as sent.
     *
     * @return {@code true} if the PUBLISH asked the broker to retain it
     */
    public boolean retain() {
        return retain;
    }

    /**
     * Whether the PUBLISH carried the DUP flag: a redelivery of one sent before.
     *
     * @return {@code true} if the same message may appear earlier in the transcript
     */
    public boolean duplicate() {
        return duplicate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TranscriptEntry e && time.equals(e.time) && direction == e.direction
                && clientId.equals(e.clientId) && topic.equals(e.topic) && Arrays.equals(payload, e.payload)
                && qos == e.qos && retain == e.retain && duplicate == e.duplicate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, direction, clientId, topic, Arrays.hashCode(payload), qos, retain, duplicate);
    }

    @Override
    public String toString() {
        return time + " " + (direction == Direction.DEVICE_TO_PLATFORM ? "D->P " : "P->D ") + clientId + " " + topic
                + " q" + qos + (retain ? " retain" : "") + (duplicate ? " dup" : "") + " " + payloadText();
    }
}
