package dev.iotdm.protocol.codec;

import dev.iotdm.protocol.message.Message;
import java.util.Objects;

/**
 * The codec for every topic and payload of the protocol: {@link #encode(Message)} gives the
 * canonical topic and UTF-8 JSON, {@link #decode(String, byte[])} reads anything the old clients
 * send (§12, §14), reporting each leniency as a {@link Normalisation}.
 *
 * <p>Both sides use it: our device and our fake platform. {@code decode} never throws; a payload
 * it cannot read becomes a {@link DecodeError} that carries the reqId when one could be read.
 *
 * <p>Thread-safety: immutable and safe to share; one instance serves every session.
 */
public final class Codec {

    /** The platform's payload limit, 131072 bytes (protocol.md §1.9). */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 131072;

    /**
     * The longest reqId accepted (characters). A longer one is a decode error answered 400, and
     * a device does not remember it: each answer it remembers (and persists) stays small.
     */
    public static final int MAX_REQ_ID_LENGTH = 256;

    private static final Codec STANDARD = new Codec(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES);

    private final int maxInboundBytes;
    private final int maxOutboundBytes;

    private Codec(int maxInboundBytes, int maxOutboundBytes) {
        this.maxInboundBytes = maxInboundBytes;
        this.maxOutboundBytes = maxOutboundBytes;
    }

    /**
     * The codec with the platform's limits in both directions.
     *
     * @return the shared codec limited to {@value #DEFAULT_MAX_PAYLOAD_BYTES} bytes each way
     */
    public static Codec standard() {
        return STANDARD;
    }

    /**
     * A codec with other payload limits.
     *
     * @param maxInboundBytes the largest payload {@link #decode} reads, in bytes, at least 1024
     * @param maxOutboundBytes the largest payload {@link #encode} produces, in bytes, at least 1024
     * @return a new codec
     * @throws IllegalArgumentException if a limit is below 1024 bytes
     */
    public static Codec withLimits(int maxInboundBytes, int maxOutboundBytes) {
        if (maxInboundBytes < 1024 || maxOutboundBytes < 1024) {
            throw new IllegalArgumentException("payload limits must be at least 1024 bytes, got inbound "
                    + maxInboundBytes + " and outbound " + maxOutboundBytes);
        }
        return new Codec(maxInboundBytes, maxOutboundBytes);
    }

    /**
     * The inbound payload limit in bytes.
     *
     * @return the largest payload {@link #decode} reads; a larger one is a {@link DecodeError}
     */
    public int maxInboundBytes() {
        return maxInboundBytes;
    }

    /**
     * The outbound payload limit in bytes.
     *
     * @return the largest payload {@link #encode} produces
     */
    public int maxOutboundBytes() {
        return maxOutboundBytes;
    }

    /**
     * Encodes a message to its topic and canonical payload.
     *
     * @param message the message to encode, not null
     * @return the topic and the UTF-8 JSON payload
     * @throws MessageTooLargeException if the payload is over the outbound limit; nothing should
     *     be published then
     */
    public Encoded encode(Message message) {
        Objects.requireNonNull(message, "message");
        String topic = message.topic().topicName();
        byte[] payload = PayloadEncoder.encode(message);
        if (payload.length > maxOutboundBytes) {
            throw new MessageTooLargeException(topic, payload.length, maxOutboundBytes);
        }
        return new Encoded(topic, payload);
    }

    /**
     * Decodes a payload received on a topic. Never throws: bad input of any kind gives a
     * {@link DecodeError}.
     *
     * @param topic the MQTT topic name as received; null gives a {@link DecodeError} too
     * @param payload the payload bytes, read and not kept; null gives a {@link DecodeError} too
     * @return a {@link Decoded} message or a {@link DecodeError}, never null
     */
    public DecodeResult decode(String topic, byte[] payload) {
        if (topic == null || payload == null) {
            return new DecodeError(String.valueOf(topic), Problem.MALFORMED_JSON, "no topic or no payload",
                    java.util.Optional.empty(), false);
        }
        return PayloadDecoder.decode(topic, payload, maxInboundBytes);
    }
}
