package dev.iotdm.transport.paho;

import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Secret;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.DevicePublishListener;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import dev.iotdm.testkit.broker.TlsListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The fake platform's broker for these tests: one per test class, devices registered on demand,
 * every device publish recorded.
 */
final class TestBroker implements AutoCloseable {

    static final String ORG = "pahotest";
    static final String TYPE = "transport";
    static final Duration WAIT = Duration.ofSeconds(15);

    private static final AtomicInteger DEVICES = new AtomicInteger();

    final InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    final BlockingQueue<DevicePublish> publishes = new LinkedBlockingQueue<>();
    final EmbeddedBroker broker;

    private TestBroker(TlsListener tls, DevicePublishListener extra) {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder(registry).publishListener(p -> {
            publishes.add(p);
            extra.onPublish(p);
        });
        if (tls != null) {
            b.tls(tls);
        }
        this.broker = b.build();
        broker.start();
    }

    /** A started broker with a plain listener only. */
    static TestBroker plain() {
        return new TestBroker(null, p -> { });
    }

    /** A started broker that also hands every device publish to {@code listener}. */
    static TestBroker plain(DevicePublishListener listener) {
        return new TestBroker(null, listener);
    }

    /** A started broker with a plain and a TLS listener. */
    static TestBroker withTls(TlsListener tls) {
        return new TestBroker(tls, p -> { });
    }

    /** A newly registered device. */
    Device newDevice() {
        String id = "dev" + DEVICES.incrementAndGet();
        String token = "token-" + id;
        String clientId = registry.register(ORG, TYPE, id, token);
        return new Device(id, clientId, token);
    }

    /** Connect options for {@code device} over plain TCP, MQTT 5. */
    MqttConnectOptions.Builder options(Device device) {
        return MqttConnectOptions.builder()
                .clientId(device.clientId())
                .credentials("use-token-auth", Secret.of(device.token()))
                .host(broker.host())
                .port(broker.port())
                .version(MqttVersion.MQTT_5)
                .connectTimeout(Duration.ofSeconds(10));
    }

    /** The next device publish that matches, failing the test if none comes within {@link #WAIT}. */
    DevicePublish awaitPublish(Predicate<DevicePublish> matching) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            DevicePublish p = publishes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p == null) {
                throw new AssertionError("no matching device publish within " + WAIT);
            }
            if (matching.test(p)) {
                return p;
            }
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    /** A registered device. */
    record Device(String deviceId, String clientId, String token) {
    }
}
