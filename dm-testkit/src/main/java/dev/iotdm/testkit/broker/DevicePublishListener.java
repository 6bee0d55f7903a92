package dev.iotdm.testkit.broker;

/**
 * Receives every PUBLISH a device sends; the fake platform implements it.
 *
 * <p>Called on a broker thread, in order per client. Implementations must be thread-safe (different
 * clients call concurrently), must return quickly and must not block: hand the work to your own
 * executor. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface DevicePublishListener {

    /**
     * A device published on a topic it may use; the broker delivers it to nobody else.
     *
     * @param publish the message as the broker received it
     */
    void onPublish(DevicePublish publish);

    /**
     * A device's publish was refused and dropped: it reached no one else. Whether the device was also
     * disconnected is the broker's policy (see {@link EmbeddedBroker.Builder#disconnectOnForbiddenPublish});
     * an oversized payload always disconnects.
     *
     * @param publish the refused message as the broker received it
     * @param reason why it was refused
     */
    default void onRefused(DevicePublish publish, PublishRefusal reason) {
    }
}
