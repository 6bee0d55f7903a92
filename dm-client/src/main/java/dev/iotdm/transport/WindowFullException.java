package dev.iotdm.transport;

/**
 * A QoS 1 publish was not written because the transport's in-flight window was full (as many
 * publishes waiting for PUBACK as the broker's Receive Maximum or the library allows). Nothing
 * went on the wire: send it again once {@link TransportListener#onWritable()} says room returned.
 * A transport never queues beyond its window; it fails the publish at once with this instead.
 *
 * <p>Thread-safety: immutable.
 */
public final class WindowFullException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which publish and how large the window is
     */
    public WindowFullException(String message) {
        super(message);
    }
}
