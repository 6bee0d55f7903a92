package dev.iotdm.protocol.session;

import dev.iotdm.protocol.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One publish the session asked for, as the harness saw it: the raw action and the message the
 * codec reads back from it.
 *
 * @param id the session's publish id (for {@link DeviceSession#publishCompleted})
 * @param topic the topic
 * @param payload the payload bytes
 * @param qos the QoS
 * @param message the payload decoded with the codec
 */
public record Sent(long id, String topic, byte[] payload, int qos, Message message) {

    /** Requires all parts. */
    public Sent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(message, "message");
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "#" + id + " " + topic + " q" + qos + " " + text();
    }
}
