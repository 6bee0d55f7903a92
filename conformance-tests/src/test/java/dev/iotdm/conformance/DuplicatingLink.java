package dev.iotdm.conformance;

import dev.iotdm.testkit.platform.DeviceLink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The platform's link to its devices that can send the next request twice, with the same reqId,
 * as a broker's QoS 1 redelivery would ({@code ScenarioStep.DuplicateDelivery}). The second copy
 * goes once the broker took the first; neither broker API lets us set the DUP flag, so the device
 * sees two plain deliveries. Thread-safe.
 */
final class DuplicatingLink implements DeviceLink {

    private final DeviceLink inner;
    private final AtomicBoolean armed = new AtomicBoolean();

    DuplicatingLink(DeviceLink inner) {
        this.inner = inner;
    }

    /** The next request (not a response to the device) goes twice. */
    void duplicateNextRequest() {
        armed.set(true);
    }

    @Override
    public CompletableFuture<Void> send(String clientId, String topic, byte[] payload, int qos, Duration timeout) {
        CompletableFuture<Void> first = inner.send(clientId, topic, payload, qos, timeout);
        if (topic.equals("iotdm-1/response") || !armed.compareAndSet(true, false)) {
            return first;
        }
        return first.thenCompose(sent -> inner.send(clientId, topic, payload, qos, timeout));
    }

    @Override
    public void disconnect(String clientId) {
        inner.disconnect(clientId);
    }
}
