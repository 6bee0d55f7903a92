package dev.iotdm.transport;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A transport that answers connect with a fixed CONNACK code and delivers nothing: enough to test
 * the SPI helpers and provider discovery without a broker.
 */
class FakeTransport implements MqttTransport {

    static final TransportListener IGNORE = new TransportListener() {
        @Override
        public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
        }

        @Override
        public void connectionLost(Throwable cause) {
        }
    };

    final String providerName;
    private final int connackCode;
    private volatile boolean connected;
    private volatile boolean closed;

    FakeTransport(String providerName, int connackCode) {
        this.providerName = providerName;
        this.connackCode = connackCode;
    }

    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        if (connackCode != 0) {
            return CompletableFuture.failedFuture(new ConnectFailureException(
                    ConnectFailure.fromConnack(options.version(), connackCode, Optional.empty())));
        }
        connected = true;
        return CompletableFuture.completedFuture(new ConnectResult(false));
    }

    @Override
    public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
        if (!connected) {
            return CompletableFuture.failedFuture(new NotConnectedException("subscribe while not connected"));
        }
        return CompletableFuture.completedFuture(subscriptions.stream()
                .map(s -> (SubscribeResult) new SubscribeResult.Granted(s.qos())).toList());
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        if (!connected) {
            return CompletableFuture.failedFuture(new NotConnectedException("publish while not connected"));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        connected = false;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void close() {
        connected = false;
        closed = true;
    }

    /** Registered in META-INF/services as "fake-a". */
    public static final class ProviderA implements MqttTransportProvider {
        @Override
        public String name() {
            return "fake-a";
        }

        @Override
        public MqttTransport create() {
            return new FakeTransport(name(), 0);
        }
    }

    /** Registered in META-INF/services as "fake-b". */
    public static final class ProviderB implements MqttTransportProvider {
        @Override
        public String name() {
            return "fake-b";
        }

        @Override
        public MqttTransport create() {
            return new FakeTransport(name(), 0);
        }
    }
}
