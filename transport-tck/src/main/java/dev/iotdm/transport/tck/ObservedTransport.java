package dev.iotdm.transport.tck;

import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The transport under test, seen from the side: every call goes to it unchanged, and the failure
 * of each connect attempt is kept, so a DM-flow test can tell why a {@code ManagedClient} that
 * keeps retrying did not connect. Owns nothing beyond the transport it wraps.
 */
final class ObservedTransport implements MqttTransport {

    private final MqttTransport transport;
    private final BlockingQueue<Throwable> connectFailures = new LinkedBlockingQueue<>();

    ObservedTransport(MqttTransport transport) {
        this.transport = transport;
    }

    /** Why the next connect attempt failed, failing the test if none failed within {@code timeout}. */
    Throwable awaitConnectFailure(Duration timeout) throws InterruptedException {
        Throwable t = connectFailures.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("no connect attempt failed within " + timeout);
        }
        return t;
    }

    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
        CompletableFuture<ConnectResult> attempt = transport.connect(options, listener);
        attempt.whenComplete((ok, error) -> {
            if (error != null) {
                connectFailures.add(error instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : error);
            }
        });
        return attempt;
    }

    @Override
    public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
        return transport.subscribe(subscriptions);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        return transport.publish(topic, payload, qos);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return transport.disconnect();
    }

    @Override
    public boolean isConnected() {
        return transport.isConnected();
    }

    @Override
    public void close() {
        transport.close();
    }
}
