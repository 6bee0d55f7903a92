package dev.iotdm.transport.netty;

/**
 * A QoS 1 publish was refused at once because the in-flight window is full: as many QoS 1
 * publishes as the window allows (the configured window, lowered to the broker's MQTT 5 Receive
 * Maximum) are still waiting for their PUBACK. The transport never queues beyond its window; the
 * caller retries after a PUBACK freed a slot ({@link NettyTransport#inFlightCapacity()} says how
 * many are free).
 *
 * <p>Thread-safety: immutable.
 */
public final class WindowFullException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int window;

    /**
     * Creates the exception.
     *
     * @param window the size of the window that is full
     */
    public WindowFullException(int window) {
        super("WINDOW_FULL: " + window + " QoS 1 publishes are already waiting for PUBACK; publish again once one"
                + " is acknowledged");
        this.window = window;
    }

    /** The size of the window that was full. */
    public int window() {
        return window;
    }
}
