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
     * @param clientId the device's MQTT client id
     * @param topic the topic to publish on
     * @param payload the payload; do not change the array after the call
     * @param qos 0 or 1 (the platform uses 1 for DM, protocol.md §1.11)
     * @param timeout how long the message may wait for the device to subscribe
     * @return completes when the broker took the message for the device; the call never blocks
     */
    CompletableFuture<Void> sendToDevice(String clientId, String topic, byte[] payload, int qos, Duration timeout);
}
