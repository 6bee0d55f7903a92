package dev.iotdm.testkit.platform;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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
}
