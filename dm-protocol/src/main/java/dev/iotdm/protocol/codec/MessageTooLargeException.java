package dev.iotdm.protocol.codec;

/**
 * An outbound message is larger than the payload limit (protocol.md §1.9, §13.7); raised before
 * anything is published.
 */
public final class MessageTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The topic of the message that was too large. */
    private final String topic;
    /** The encoded payload size in bytes. */
    private final int size;
    /** The codec's outbound limit in bytes. */
    private final int limit;

    MessageTooLargeException(String topic, int size, int limit) {
        super("payload for " + topic + " is " + size + " bytes, over the limit of " + limit + " bytes");
        this.topic = topic;
        this.size = size;
        this.limit = limit;
    }

    /**
     * The topic of the message.
     *
     * @return the topic the message would have been published on
     */
    public String topic() {
        return topic;
    }

    /**
     * The encoded size in bytes.
     *
     * @return the payload size, over {@link #limit()}
     */
    public int size() {
        return size;
    }

    /**
     * The limit in bytes.
     *
     * @return the codec's outbound limit ({@link Codec#maxOutboundBytes()})
     */
    public int limit() {
        return limit;
    }
}
