package dev.iotdm.testkit.platform;

import dev.iotdm.testkit.broker.DeviceBroker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where {@link FakePlatform} sends what its engine asks for: the embedded broker, or an in-memory
 * transport that connects devices without MQTT. The link reports inbound traffic the other way, by
 * calling the listeners of {@link FakePlatform#publishListener()} and
 * {@link FakePlatform#connectionListener()}.
 *
 * <p>Implementations must be thread-safe and must not block.
 */
public interface DeviceLink {

    /**
     * Sends one message to one device. If the device has no matching subscription yet, the link keeps
     * trying until it subscribes or {@code timeout} passes, then fails the future.
     *
     * @param clientId the device's MQTT client id
     * @param topic the topic to publish on
     * @param payload the payload; the link must not keep or change the array after returning
     * @param qos 0, 1 or 2; the platform's DM messages use 1
     * @param timeout how long the message may wait for a matching subscription
     * @return completes when the broker (or in-memory transport) took the message; fails with a
     *     {@link java.util.concurrent.TimeoutException} when {@code timeout} passed first; the call
     *     itself never blocks
     */
    CompletableFuture<Void> send(String clientId, String topic, byte[] payload, int qos, Duration timeout);

    /**
     * Closes the device's connection, if it has one.
     *
     * @param clientId the device's MQTT client id; no effect if it is not connected
     */
    void disconnect(String clientId);

    /**
     * A link sending through {@code broker} and closing a device's connection with
     * {@code disconnect} (a broker's own call, or a fault proxy's drop where the broker cannot).
     *
     * @param broker sends with {@link DeviceBroker#sendToDevice}; not {@code null}
     * @param disconnect closes one client's connection, given its client id; not {@code null}
     * @return the link
     */
    static DeviceLink of(DeviceBroker broker, Consumer<String> disconnect) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(disconnect, "disconnect");
        return new DeviceLink() {
            @Override
            public CompletableFuture<Void> send(String clientId, String topic, byte[] payload, int qos,
                    Duration timeout) {
                return broker.sendToDevice(clientId, topic, payload, qos, timeout);
            }

            @Override
            public void disconnect(String clientId) {
                disconnect.accept(clientId);
            }
        };
    }
}
