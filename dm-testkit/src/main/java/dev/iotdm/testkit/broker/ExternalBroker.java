package dev.iotdm.testkit.broker;

import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The platform on an external broker (mosquitto, for one): the platform connects as an ordinary
 * MQTT client through one of our transports, chosen at run time (for example with
 * {@code Transports.load("paho")}: dm-testkit depends on no transport), and serves the one device
 * under test. A plain broker has no per-device routing, so every {@code iotdevice-1/...} and
 * {@code iot-2/evt/...} publish is taken to come from that device, and nothing can tell whether
 * the device has subscribed yet: {@link #sendToDevice} publishes at once.
 *
 * <p>Thread-safety: thread-safe; listener calls come from the transport's thread.
 */
public final class ExternalBroker implements DeviceBroker, AutoCloseable {

    /** What the platform subscribes to on the device's behalf (the device's outbound topics). */
    public static final List<String> PLATFORM_SUBSCRIPTIONS = List.of("iotdevice-1/#", "iot-2/evt/+/fmt/+");

    /** The topic prefix of the connection markers of {@link #reportConnections}. */
    public static final String CONNECTION_MARKERS = "iotdm-testkit/connections/";

    private static final java.util.concurrent.atomic.AtomicLong MARKER_IDS = new java.util.concurrent.atomic.AtomicLong();

    private final MqttTransport transport;
    private final String deviceClientId;
    /** Unique per platform client, so that two platforms on one broker do not hear each other's markers. */
    private final String markerId = java.util.UUID.randomUUID() + "-" + MARKER_IDS.incrementAndGet();
    private volatile DeviceConnectionListener connectionListener;
    /** Connected markers on their way through the broker, by marker name, each releasing its connection. */
    private final java.util.Map<String, CompletableFuture<Void>> admissions = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> newestAdmission = CompletableFuture.completedFuture(null);
    /** Guards the publish counts below and is signalled when they change. */
    private final Object counts = new Object();
    private long fromDevice;
    private long sent;
    private long sentDone;
    private long sentFailed;

    private ExternalBroker(MqttTransport transport, String deviceClientId) {
        this.transport = transport;
        this.deviceClientId = deviceClientId;
    }

    /**
     * Connects the platform to the broker and subscribes to the device's topics.
     *
     * @param transport an unconnected transport; closed with this object
     * @param platformOptions the platform's own client id and credentials on that broker
     * @param deviceClientId the {@code d:org:type:id} of the device under test
     * @param listener receives the device's publishes
     * @param timeout how long to wait for the connection and subscription
     * @return the connected platform client; close it
     * @throws IllegalStateException when the broker cannot be reached or refuses the subscription
     * @throws IllegalArgumentException if {@code deviceClientId} is not a device client id
     */
    public static ExternalBroker connect(MqttTransport transport, MqttConnectOptions platformOptions,
            String deviceClientId, DevicePublishListener listener, Duration timeout) {
        Objects.requireNonNull(listener, "listener");
        if (!DeviceClientIds.isDevice(deviceClientId)) {
            throw new IllegalArgumentException("deviceClientId must be d:<org>:<type>:<id>, got " + deviceClientId);
        }
        ExternalBroker broker = new ExternalBroker(transport, deviceClientId);
        TransportListener relay = new TransportListener() {
            @Override
            public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
                DeviceConnectionListener connections = broker.connectionListener;
                if (topic.startsWith(CONNECTION_MARKERS)) {
                    String mine = CONNECTION_MARKERS + broker.markerId + "/";
                    if (connections != null && topic.startsWith(mine)) {
                        String marker = topic.substring(mine.length());
                        if (marker.startsWith("connected-")) {
                            connections.onConnected(deviceClientId);
                            // Only now may the new connection's bytes flow (FaultProxy.Admission).
                            CompletableFuture<Void> admitted = broker.admissions.remove(marker);
                            if (admitted != null) {
                                admitted.complete(null);
                            }
                        } else {
                            connections.onDisconnected(deviceClientId);
                        }
                    }
                    return;
                }
                // DUP here is the broker's redelivery to the platform's own subscription.
                broker.countFromDevice();
                listener.onPublish(new DevicePublish(deviceClientId, topic, payload, qos.code(), false, duplicate));
            }

            @Override
            public void connectionLost(Throwable cause) {
                // The platform's own connection: the next sendToDevice fails with NotConnected.
            }
        };
        try {
            await(transport.connect(platformOptions, relay), timeout);
            List<SubscribeResult> results = await(transport.subscribe(PLATFORM_SUBSCRIPTIONS.stream()
                    .map(f -> new Subscription(f, Qos.AT_LEAST_ONCE)).toList()), timeout);
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).isGranted()) {
                    throw new IllegalStateException("the broker refused the platform's subscription to "
                            + PLATFORM_SUBSCRIPTIONS.get(i));
                }
            }
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        return broker;
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting the platform", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the platform could not connect to the broker: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the platform could not connect to the broker within " + timeout, e);
        }
    }

    @Override
    public CompletableFuture<Void> sendToDevice(String clientId, String topic, byte[] payload, int qos,
            Duration timeout) {
        if (!deviceClientId.equals(clientId)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "this platform serves only " + deviceClientId + ", not " + clientId));
        }
        Qos q = Qos.fromCode(qos).orElseThrow(() -> new IllegalArgumentException("qos must be 0 or 1, got " + qos));
        synchronized (counts) {
            sent++;
        }
        return transport.publish(topic, payload, q).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    synchronized (counts) {
                        if (error == null) {
                            sentDone++;
                        } else {
                            sentFailed++;
                        }
                        counts.notifyAll();
                    }
                });
    }

    private void countFromDevice() {
        synchronized (counts) {
            fromDevice++;
            counts.notifyAll();
        }
    }

    /**
     * How many of the device's publishes (connection markers aside) the broker delivered to the platform.
     *
     * @return the count since {@link #connect}
     */
    public long publishesFromDevice() {
        synchronized (counts) {
            return fromDevice;
        }
    }

    /**
     * The platform's publishes to the device: sent, taken by the broker (acknowledged, or written
     * at QoS 0) and failed (the platform's connection or the timeout gave up on them: known lost).
     *
     * @return the counts as of now
     */
    public PublishTally publishesToBroker() {
        synchronized (counts) {
            return new PublishTally("platform to broker", sent, sentDone, sentFailed);
        }
    }

    /**
     * Waits until every publish of the platform has an outcome and the broker delivered at least
     * {@code fromDeviceAtLeast} of the device's publishes to the platform (e.g. as many as the
     * device's proxy wrote to the broker).
     *
     * @param fromDeviceAtLeast the device's publishes the platform must have received
     * @param timeout how long to wait
     * @throws IllegalStateException naming the counts when {@code timeout} passes first
     */
    public void awaitPublishes(long fromDeviceAtLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (counts) {
            while (fromDevice < fromDeviceAtLeast || !publishesToBroker().settled()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("after " + timeout.toMillis() + " ms the platform has "
                            + fromDevice + " of the device's publishes (waited for " + fromDeviceAtLeast + "); "
                            + publishesToBroker());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(counts, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for publishes", e);
                }
            }
        }
    }

    /**
     * Reports the device's connects and disconnects to {@code listener}, as a plain broker cannot:
     * the device connects through {@code proxy}, which only it uses, so each new proxy connection
     * is a connect and none left open a disconnect.
     *
     * <p>The news travels through the broker, in order with the device's publishes: at each change
     * the platform publishes a marker on {@value #CONNECTION_MARKERS}{@code <n>} to itself, and
     * tells {@code listener} when the marker comes back. A device that answers a reboot and
     * reconnects at once has its answer forwarded to the broker before the proxy accepts its new
     * connection, so the broker queues the answer for the platform before the marker: the platform
     * does not see the new connection before the old one's last message. And the proxy forwards
     * nothing of a new connection before its marker came back ({@link FaultProxy.Admission}):
     * without that, the device's manage on the new connection could reach the broker before the
     * platform's marker and be judged as sent on the old one (seen at 100 scenarios on the
     * mosquitto rows, seed 5440322516251670317).
     *
     * @param proxy the fault proxy only the device connects through; not {@code null}
     * @param listener told of each connect and disconnect, on the transport's thread; not
     *     {@code null}
     * @param timeout how long the marker subscription may take
     * @throws IllegalStateException when the broker refuses the marker subscription
     */
    public void reportConnections(FaultProxy proxy, DeviceConnectionListener listener, Duration timeout) {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(listener, "listener");
        String markers = CONNECTION_MARKERS + markerId + "/";
        List<SubscribeResult> granted = await(transport.subscribe(List.of(
                new Subscription(markers + "+", Qos.AT_LEAST_ONCE))), timeout);
        if (!granted.get(0).isGranted()) {
            throw new IllegalStateException("the broker refused the platform's subscription to " + markers + "+");
        }
        connectionListener = listener;
        proxy.admission(() -> newestAdmission);
        proxy.connectionListener(new FaultProxy.ConnectionListener() {
            private int open; // the proxy calls under its lock, one call at a time
            private long connects;

            @Override
            public void openConnectionsChanged(int now) {
                if (now > open) {
                    String marker = "connected-" + ++connects;
                    CompletableFuture<Void> admitted = new CompletableFuture<>();
                    admissions.put(marker, admitted);
                    newestAdmission = admitted; // asked by the proxy right after this call
                    transport.publish(markers + marker, new byte[0], Qos.AT_LEAST_ONCE);
                } else if (now == 0) {
                    transport.publish(markers + "disconnected", new byte[0], Qos.AT_LEAST_ONCE);
                }
                open = now;
            }
        });
    }

    /**
     * The device this platform serves.
     *
     * @return its client id {@code d:<org>:<type>:<id>}
     */
    public String deviceClientId() {
        return deviceClientId;
    }

    @Override
    public void close() {
        try {
            transport.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        } finally {
            transport.close();
        }
    }
}
