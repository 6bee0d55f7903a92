package dev.iotdm.testkit.raw;

/**
 * A {@link RawMqttClient} operation failed: a timeout, the connection closed, an I/O error or an
 * unexpected packet. The message says what was expected and what was seen instead.
 */
public final class RawMqttException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message only.
     *
     * @param message what was expected and what was seen instead
     */
    public RawMqttException(String message) {
        super(message);
    }

    /**
     * An exception with a message and the underlying cause.
     *
     * @param message what was expected and what was seen instead
     * @param cause the I/O error, timeout or interruption behind it
     */
    public RawMqttException(String message, Throwable cause) {
        super(message, cause);
    }
}
