package dev.iotdm.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An encoded message: the topic to publish on and the UTF-8 payload.
 *
 * <p>Ownership: the encoder makes a fresh array for each {@code Encoded} and keeps no reference
 * to it, so the payload belongs to this object alone. {@link #payload()} hands out a copy (safe
 * for anyone); {@link #payloadView()} hands out the bytes themselves, read-only, for the publish
 * path that must not pay for a second copy of every message.
 *
 * <p>Thread-safety: immutable.
 */
public final class Encoded {

    private final String topic;
    private final byte[] payload;

    Encoded(String topic, byte[] payload) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /**
     * The MQTT topic name.
     *
     * @return the topic to publish on
     */
    public String topic() {
        return topic;
    }

    /**
     * A copy of the payload bytes.
     *
     * @return a new array on every call; see {@link #payloadView()} to avoid the copy
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload bytes without a copy, as a read-only buffer positioned at 0 with the payload's
     * size as its limit. Each call gives an independent buffer over the same bytes.
     *
     * @return a read-only view of the payload
     */
    public ByteBuffer payloadView() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /**
     * The payload size in bytes.
     *
     * @return the UTF-8 length of the payload, at most the codec's outbound limit
     */
    public int size() {
        return payload.length;
    }

    /**
     * The payload as text (for transcripts and tests).
     *
     * @return the payload decoded as UTF-8; pass it through {@link WireText#escape} before logging
     */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The payload without a copy; callers in this module promise not to modify it. */
    byte[] payloadUnsafe() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoded e && topic.equals(e.topic) && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return topic.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return topic + " " + payloadText();
    }
}
