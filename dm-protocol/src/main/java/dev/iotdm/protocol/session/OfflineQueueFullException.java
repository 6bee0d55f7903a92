package dev.iotdm.protocol.session;

/** An event could not wait for the connection: the offline queue is full (or disabled). */
public final class OfflineQueueFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * An error naming the limit.
     *
     * @param message what could not wait and which limit ({@code SessionConfig.offlineEventLimit}) was hit
     */
    public OfflineQueueFullException(String message) {
        super(message);
    }
}
