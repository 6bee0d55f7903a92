package dev.iotdm.transport;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A transport that passes every call to another one, for wrappers that watch or change a few calls
 * (count publishes, remember why a connect failed, record an order) and must not hide the rest: a
 * wrapper written by hand easily forgets a default method, and then reports the SPI's defaults
 * (both MQTT versions, no in-flight window) instead of the wrapped transport's.
 *
 * <p>Subclasses override what they watch and call {@code super}; {@link #delegate()} gives the
 * wrapped transport. Closing the wrapper closes the wrapped transport.
 *
 * <p>Thread-safety: as thread-safe as the wrapped transport; this class keeps no state of its own.
 */
public abstract class ForwardingMqttTransport implements MqttTransport {

    private final MqttTransport delegate;

    /**
     * Wraps {@code delegate}, which the wrapper then owns.
     *
     * @param delegate the transport every call goes to
     * @throws NullPointerException when {@code delegate} is null
     */
    protected ForwardingMqttTransport(MqttTransport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The wrapped transport.
     *
     * @return the transport given to the constructor
     */
    protected final MqttTransport delegate() {
        return delegate;
    }

    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
        return delegate.connect(options, listener);
    }

    @Override
    public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
        return delegate.subscribe(subscriptions);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        return delegate.publish(topic, payload, qos);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return delegate.disconnect();
    }

    @Override
    public Set<MqttVersion> supportedVersions() {
        return delegate.supportedVersions();
    }

    @Override
    public MqttVersion preferredVersion() {
        return delegate.preferredVersion();
    }

    @Override
    public int inFlightCapacity() {
        return delegate.inFlightCapacity();
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
