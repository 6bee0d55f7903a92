package dev.iotdm.protocol.session;

/** The session was closed before the request completed. */
public final class SessionClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * An error explaining what was cut short.
     *
     * @param message which request or event was cut short by the close
     */
    public SessionClosedException(String message) {
        super(message);
    }
}
