package dev.iotdm.transport.netty;

/**
 * An MQTT packet exceeds a maximum packet size: a publish larger than the limit the broker
 * announced (MQTT 5 Maximum Packet Size) or the transport's configured outbound limit fails with
 * it at once without being sent; an inbound packet larger than the configured inbound limit ends
 * the connection with it as the cause.
 *
 * <p>Thread-safety: immutable.
 */
public final class PacketTooLargeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The packet's size in bytes, or -1 when unknown. */
    private final long size;
    /** The maximum packet size in bytes. */
    private final long limit;

    /**
     * Creates the exception.
     *
     * @param what which packet and direction, for the message
     * @param size the packet's size in bytes, or -1 when unknown
     * @param limit the maximum packet size in bytes
     */
    public PacketTooLargeException(String what, long size, long limit) {
        super(what + (size >= 0 ? " of " + size + " bytes" : "") + " exceeds the maximum packet size of " + limit
                + " bytes; send less per message or raise the limit");
        this.size = size;
        this.limit = limit;
    }

    /**
     * The packet's size.
     *
     * @return the size in bytes, or -1 when unknown
     */
    public long size() {
        return size;
    }

    /**
     * The maximum packet size that was exceeded.
     *
     * @return the limit in bytes
     */
    public long limit() {
        return limit;
    }
}
