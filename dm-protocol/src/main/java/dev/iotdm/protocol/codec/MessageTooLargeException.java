package dev.iotdm.protocol.codec;

/**
 * An outbound message is larger than the payload limit (protocol.md §1.9, §13.7); raised before
 * anything is published.
 */
public final class MessageTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int size;
    private final int limit;

    MessageTooLargeException(String topic, int size, int limit) {
        super("payload for " + topic + " is " + size + " bytes, over the limit of " + limit + " bytes");
        this.topic = topic;
        this.size = size;
        this.limit = limit;
    }

    /** The topic of the message. */
    public String topic() {
        return topic;
    }

    /** The encoded size in bytes. */
    public int size() {
        return size;
    }

    /** The limit in bytes. */
    public int limit() {
        return limit;
    }
}
