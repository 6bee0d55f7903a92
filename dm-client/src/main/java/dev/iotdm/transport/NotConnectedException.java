package dev.iotdm.transport;

/**
 * A publish or subscribe could not complete because the transport is not connected: it was
 * called while disconnected, or the connection ended before the broker acknowledged it. Which
 * of the two is in the message.
 *
 * <p>Thread-safety: immutable.
 */
public final class NotConnectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be done and why
     */
    public NotConnectedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the cause of the connection loss.
     *
     * @param message what could not be done and why
     * @param cause why the connection ended, may be null
     */
    public NotConnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
