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
     */
    CompletableFuture<Void> send(String clientId, String topic, byte[] payload, int qos, Duration timeout);

    /** Closes the device's connection, if it has one. */
    void disconnect(String clientId);

    /**
     * A link sending through {@code broker} and closing a device's connection with
     * {@code disconnect} (a broker's own call, or a fault proxy's drop where the broker cannot).
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
