package dev.iotdm.transport.tck;

import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.DevicePublishListener;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The platform's broker as transport tests need it: the embedded HiveMQ broker on 127.0.0.1 with
 * the platform's authentication and topic permissions, devices registered on demand, and every
 * device publish recorded in arrival order. Owns the broker; one per test class (a start takes
 * seconds).
 *
 * <p>Thread-safety: safe for use by several threads.
 */
public final class ContractBroker implements AutoCloseable {

    /** The organisation every device of a contract broker belongs to. */
    public static final String ORG = "tck";
    /** The device type of every device of a contract broker. */
    public static final String TYPE = "transport";
    private static final AtomicInteger DEVICES = new AtomicInteger();

    private final InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    private final BlockingQueue<DevicePublish> publishes = new LinkedBlockingQueue<>();
    private final EmbeddedBroker broker;

    private ContractBroker(TlsListener tls, DevicePublishListener alsoTold) {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder(registry).publishListener(p -> {
            publishes.add(p);
            alsoTold.onPublish(p);
        });
        if (tls != null) {
            b.tls(tls);
        }
        this.broker = b.build();
        broker.start();
    }

    /** A started broker with a plain listener only. */
    public static ContractBroker plain() {
        return new ContractBroker(null, p -> { });
    }

    /**
     * A started broker with a plain listener only that also tells {@code alsoTold} of every device
     * publish, on the broker's thread (e.g. a platform that answers every request at once).
     */
    public static ContractBroker plain(DevicePublishListener alsoTold) {
        return new ContractBroker(null, Objects.requireNonNull(alsoTold, "alsoTold"));
    }

    /** A started broker with a plain and a TLS listener. */
    public static ContractBroker withTls(TlsListener tls) {
        return new ContractBroker(Objects.requireNonNull(tls, "tls"), p -> { });
    }

    /**
     * A registered device.
     *
     * @param deviceId the device id
     * @param clientId its MQTT client id, {@code d:org:type:id}
     * @param token its authentication token
     */
    public record Device(String deviceId, String clientId, String token) {
    }

    /** A newly registered device with a unique id. */
    public Device newDevice() {
        String id = "dev" + DEVICES.incrementAndGet();
        String token = "token-" + id;
        return new Device(id, registry.register(ORG, TYPE, id, token), token);
    }

    /** Connect options for {@code device} on the plain port, with a 20 s connect timeout. */
    public MqttConnectOptions.Builder options(Device device, MqttVersion version) {
        return MqttConnectOptions.builder()
                .clientId(device.clientId())
                .credentials("use-token-auth", Secret.of(device.token()))
                .host(broker.host())
                .port(broker.port())
                .version(version)
                .connectTimeout(Duration.ofSeconds(20));
    }

    /** The embedded broker itself (ports, host, restart). */
    public EmbeddedBroker broker() {
        return broker;
    }

    /** Sends a message to one device as the platform does, at QoS 1, once the device subscribed. */
    public CompletableFuture<Void> sendToDevice(Device device, String topic, byte[] payload, Duration timeout) {
        return broker.sendToDevice(device.clientId(), topic, payload, 1, timeout);
    }

    /** The next publish of {@code device}, failing the test if none comes within {@code timeout}. */
    public DevicePublish awaitPublish(Device device, Duration timeout) throws InterruptedException {
        return awaitPublish(p -> p.clientId().equals(device.clientId()), timeout);
    }

    /** The next device publish that matches, failing the test if none comes within {@code timeout}. */
    public DevicePublish awaitPublish(Predicate<DevicePublish> matching, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DevicePublish p = publishes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p == null) {
                throw new AssertionError("no matching device publish within " + timeout);
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
}
