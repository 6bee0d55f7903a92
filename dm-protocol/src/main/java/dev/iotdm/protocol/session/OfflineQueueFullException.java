package dev.iotdm.protocol.session;

/** An event could not wait for the connection: the offline queue is full (or disabled). */
public final class OfflineQueueFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** An error naming the limit. */
    public OfflineQueueFullException(String message) {
        super(message);
    }
}
