package dev.iotdm.testkit.broker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the platform needs of a broker to reach a device: {@link EmbeddedBroker} over TCP and
 * {@link InMemoryBroker} without sockets. Device publishes come the other way through the
 * {@link DevicePublishListener} and {@link DeviceConnectionListener} given to the broker.
 */
public interface DeviceBroker {

    /**
     * Sends to one device. A device that has no matching subscription yet gets the message when
     * it subscribes; the future fails with a {@link java.util.concurrent.TimeoutException} when
     * that does not happen within {@code timeout}.
     *
     * @param qos 0 or 1 (the platform uses 1 for DM, protocol.md §1.11)
     */
    CompletableFuture<Void> sendToDevice(String clientId, String topic, byte[] payload, int qos, Duration timeout);
}
