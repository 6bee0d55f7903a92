package dev.iotdm.protocol.session;

/** A {@link DeviceStateStore} could not read or write its state. */
public final class StateStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An error with its cause.
     *
     * @param message what could not be read or written, naming the store's location
     * @param cause the I/O or parse failure
     */
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An error without a cause.
     *
     * @param message what could not be read or written, naming the store's location
     */
    public StateStoreException(String message) {
        super(message);
    }
}
