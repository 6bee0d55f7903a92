package dev.iotdm.protocol.session;

/** A request needs a ready connection and there is none; nothing was sent. */
public final class NotConnectedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** An error explaining what could not be sent. */
    public NotConnectedException(String message) {
        super(message);
    }
}
