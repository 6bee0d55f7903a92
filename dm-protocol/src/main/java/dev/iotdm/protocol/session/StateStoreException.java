package dev.iotdm.protocol.session;

/** A {@link DeviceStateStore} could not read or write its state. */
public final class StateStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error with its cause. */
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error. */
    public StateStoreException(String message) {
        super(message);
    }
}
