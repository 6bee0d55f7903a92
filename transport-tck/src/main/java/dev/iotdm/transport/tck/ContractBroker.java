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

    /**
     * A started broker with a plain listener only.
     *
     * @return the started broker, which the caller closes
     */
    public static ContractBroker plain() {
        return new ContractBroker(null, p -> { });
    }

    /**
     * A started broker with a plain listener only that also tells {@code alsoTold} of every device
     * publish, on the broker's thread (e.g. a platform that answers every request at once).
     *
     * @param alsoTold called for every device publish, besides the recording; must not block
     * @return the started broker, which the caller closes
     * @throws NullPointerException if {@code alsoTold} is null
     */
    public static ContractBroker plain(DevicePublishListener alsoTold) {
        return new ContractBroker(null, Objects.requireNonNull(alsoTold, "alsoTold"));
    }

    /**
     * A started broker with a plain and a TLS listener.
     *
     * @param tls the TLS listener: server key store, trust store and whether client
     *     certificates are asked for
     * @return the started broker, which the caller closes
     * @throws NullPointerException if {@code tls} is null
     */
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

    /**
     * Registers a device with a unique id (unique in this JVM), in {@link #ORG} and {@link #TYPE}.
     *
     * @return the device, with its client id and token
     */
    public Device newDevice() {
        String id = "dev" + DEVICES.incrementAndGet();
        String token = "token-" + id;
        return new Device(id, registry.register(ORG, TYPE, id, token), token);
    }

    /**
     * Connect options for a device on the plain port, with a 20 s connect timeout.
     *
     * @param device a device from {@link #newDevice()}
     * @param version the MQTT version to connect with
     * @return a builder with the client id, token credentials, host, port and version set, for
     *     the test to change further (e.g. TLS) before {@code build()}
     */
    public MqttConnectOptions.Builder options(Device device, MqttVersion version) {
        return MqttConnectOptions.builder()
                .clientId(device.clientId())
                .credentials("use-token-auth", Secret.of(device.token()))
                .host(broker.host())
                .port(broker.port())
                .version(version)
                .connectTimeout(Duration.ofSeconds(20));
    }

    /**
     * The embedded broker itself (ports, host, restart).
     *
     * @return the broker this contract broker owns; closed with it
     */
    public EmbeddedBroker broker() {
        return broker;
    }

    /**
     * Sends a message to one device as the platform does, at QoS 1, once the device subscribed
     * (see {@link EmbeddedBroker#sendToDevice}).
     *
     * @param device the receiving device
     * @param topic the topic name
     * @param payload the payload
     * @param timeout how long to wait for a matching subscription
     * @return completes when the broker queued the message for the device (not when the device
     *     received it); fails with a {@link java.util.concurrent.TimeoutException} when no
     *     subscription matched within {@code timeout}
     */
    public CompletableFuture<Void> sendToDevice(Device device, String topic, byte[] payload, Duration timeout) {
        return broker.sendToDevice(device.clientId(), topic, payload, 1, timeout);
    }

    /**
     * Takes the next publish of one device; publishes of other devices taken meanwhile are
     * dropped.
     *
     * @param device the publishing device
     * @param timeout how long to wait at most
     * @return the publish as the broker received it
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError if none comes within {@code timeout}
     */
    public DevicePublish awaitPublish(Device device, Duration timeout) throws InterruptedException {
        return awaitPublish(p -> p.clientId().equals(device.clientId()), timeout);
    }

    /**
     * Takes the next device publish that matches, in arrival order; publishes that do not match
     * are dropped.
     *
     * @param matching which publish to wait for
     * @param timeout how long to wait at most
     * @return the first matching publish
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError if none comes within {@code timeout}
     */
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
