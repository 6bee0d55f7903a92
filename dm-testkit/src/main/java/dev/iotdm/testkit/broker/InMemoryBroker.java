package dev.iotdm.testkit.broker;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An in-process broker with the platform's rules, for tests that need no socket: it hands out
 * {@link MqttTransport}s for devices and routes their publishes to the platform's listener, and
 * the platform's messages to one device, exactly like {@link EmbeddedBroker} does over TCP
 * (same authentication, same permissions, devices never see each other's messages). Paired with
 * a virtual clock on both sides, lifetimes, timeouts and backoff run in virtual time.
 *
 * <p>Callbacks to devices and to the platform run on the delivery executor given at
 * construction, in order; pass a direct executor for fully deterministic tests.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class InMemoryBroker implements DeviceBroker {

    private final DeviceRegistry registry;
    private final DevicePublishListener publishListener;
    private final DeviceConnectionListener connectionListener;
    private final Executor delivery;
    private final int maxPayloadBytes;

    private final Object lock = new Object();
    private final Map<String, Client> online = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, List<PendingSend>> waitingForSubscription = new LinkedHashMap<>();

    /** A device's broker session: its subscriptions and, while offline with a kept session, its queue. */
    private static final class Session {
        final Map<String, Qos> subscriptions = new LinkedHashMap<>();
        final ArrayDeque<Delivery> queued = new ArrayDeque<>();
        boolean kept;
    }

    private record Delivery(String topic, byte[] payload, Qos qos) {
    }

    private record PendingSend(String topic, byte[] payload, int qos, CompletableFuture<Void> done) {
    }

    /**
     * A broker.
     *
     * @param registry who may connect
     * @param publishListener receives every device publish (never delivered to anyone else)
     * @param connectionListener receives connects and disconnects
     * @param delivery runs every callback, in order
     */
    public InMemoryBroker(DeviceRegistry registry, DevicePublishListener publishListener,
            DeviceConnectionListener connectionListener, Executor delivery) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.publishListener = Objects.requireNonNull(publishListener, "publishListener");
        this.connectionListener = Objects.requireNonNull(connectionListener, "connectionListener");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.maxPayloadBytes = dev.iotdm.protocol.codec.Codec.DEFAULT_MAX_PAYLOAD_BYTES;
    }

    /**
     * A new transport for one device; connect it like any other.
     *
     * @return an unconnected transport bound to this broker
     */
    public MqttTransport newTransport() {
        return new Client();
    }

    /**
     * Sends to one device: delivered now when it is subscribed, queued when it is offline with a
     * kept session, and otherwise held until it subscribes or {@code timeout} (real time) passes.
     */
    @Override
    public CompletableFuture<Void> sendToDevice(String clientId, String topic, byte[] payload, int qos,
            Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        PendingSend pending = new PendingSend(topic, payload.clone(), qos, done);
        synchronized (lock) {
            if (route(clientId, topic, pending.payload(), qos)) {
                done.complete(null);
                return done;
            }
            waitingForSubscription.computeIfAbsent(clientId, k -> new ArrayList<>()).add(pending);
        }
        return done.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        synchronized (lock) {
                            List<PendingSend> waiting = waitingForSubscription.get(clientId);
                            if (waiting != null) {
                                waiting.remove(pending);
                            }
                        }
                    }
                });
    }

    /**
     * Cuts a device's connection, as a network failure would.
     *
     * @param clientId the device's MQTT client id; no effect if it is not connected
     */
    public void dropConnection(String clientId) {
        Client c;
        synchronized (lock) {
            c = online.get(clientId);
        }
        if (c != null) {
            c.lost(new java.io.IOException("connection dropped by the in-memory broker"));
        }
    }

    /** Routes under the lock; false when the device has no matching subscription. */
    private boolean route(String clientId, String topic, byte[] payload, int qos) {
        Session s = sessions.get(clientId);
        if (s == null) {
            return false;
        }
        Qos granted = null;
        for (Map.Entry<String, Qos> e : s.subscriptions.entrySet()) {
            if (TopicFilters.matches(e.getKey(), topic)) {
                granted = e.getValue();
                break;
            }
        }
        if (granted == null) {
            return false;
        }
        Qos effective = Qos.fromCode(Math.min(qos, granted.code())).orElseThrow();
        Client c = online.get(clientId);
        if (c != null) {
            c.deliver(topic, payload, effective);
        } else if (s.kept) {
            s.queued.add(new Delivery(topic, payload, effective));
        } else {
            return false;
        }
        return true;
    }

    /** One device's transport. */
    private final class Client implements MqttTransport {
        private String clientId;
        private TransportListener listener;
        private boolean connected;

        @Override
        public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener l) {
            String id = options.clientId();
            boolean ok = registry.authenticatesDevice(id, options.username().orElse(null),
                    options.password().map(p -> p.reveal()).orElse(null));
            if (!ok) {
                int code = options.version() == MqttVersion.MQTT_5 ? 0x87 : 5;
                return CompletableFuture.failedFuture(new ConnectFailureException(
                        ConnectFailure.fromConnack(options.version(), code, Optional.of("not authorized"))));
            }
            Client previous;
            boolean sessionPresent;
            List<Delivery> backlog = new ArrayList<>();
            synchronized (lock) {
                previous = online.remove(id);
                if (previous != null) {
                    previous.connected = false; // taken over: its session belongs to the new connection
                }
                Session s = sessions.get(id);
                sessionPresent = s != null && s.kept && !options.cleanSession();
                if (!sessionPresent) {
                    s = new Session();
                    sessions.put(id, s);
                }
                s.kept = !options.cleanSession();
                backlog.addAll(s.queued);
                s.queued.clear();
                clientId = id;
                listener = l;
                connected = true;
                online.put(id, this);
            }
            if (previous != null) {
                TransportListener old = previous.listener;
                delivery.execute(() -> old.connectionLost(
                        new java.io.IOException("session taken over by another connection")));
            }
            delivery.execute(() -> connectionListener.onConnected(id));
            for (Delivery d : backlog) {
                deliver(d.topic(), d.payload(), d.qos());
            }
            return CompletableFuture.completedFuture(new ConnectResult(sessionPresent));
        }

        @Override
        public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
            List<SubscribeResult> results = new ArrayList<>();
            List<PendingSend> ready = new ArrayList<>();
            synchronized (lock) {
                if (!connected) {
                    return CompletableFuture.failedFuture(new NotConnectedException("not connected"));
                }
                Session s = sessions.get(clientId);
                for (Subscription sub : subscriptions) {
                    if (DevicePermissions.maySubscribe(sub.topicFilter())) {
                        s.subscriptions.put(sub.topicFilter(), sub.qos());
                        results.add(new SubscribeResult.Granted(sub.qos()));
                    } else {
                        results.add(new SubscribeResult.Refused(0x80));
                    }
                }
                List<PendingSend> waiting = waitingForSubscription.remove(clientId);
                if (waiting != null) {
                    List<PendingSend> still = new ArrayList<>();
                    for (PendingSend p : waiting) {
                        (route(clientId, p.topic(), p.payload(), p.qos()) ? ready : still).add(p);
                    }
                    if (!still.isEmpty()) {
                        waitingForSubscription.put(clientId, still);
                    }
                }
            }
            ready.forEach(p -> p.done().complete(null));
            return CompletableFuture.completedFuture(results);
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
            String id;
            synchronized (lock) {
                if (!connected) {
                    return CompletableFuture.failedFuture(new NotConnectedException("not connected"));
                }
                id = clientId;
            }
            DevicePublish p = new DevicePublish(id, topic, payload, qos.code(), false);
            if (payload.length > maxPayloadBytes) {
                delivery.execute(() -> publishListener.onRefused(p, PublishRefusal.PAYLOAD_TOO_LARGE));
                lost(new java.io.IOException("disconnected: payload over " + maxPayloadBytes + " bytes"));
                return CompletableFuture.failedFuture(new NotConnectedException("disconnected by the broker"));
            }
            if (!DevicePermissions.mayPublish(topic)) {
                delivery.execute(() -> publishListener.onRefused(p, PublishRefusal.FORBIDDEN_TOPIC));
                lost(new java.io.IOException("disconnected: not authorised to publish on " + topic));
                return CompletableFuture.failedFuture(new NotConnectedException("disconnected by the broker"));
            }
            CompletableFuture<Void> acked = new CompletableFuture<>();
            delivery.execute(() -> {
                publishListener.onPublish(p);
                acked.complete(null);
            });
            return acked;
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            String id;
            synchronized (lock) {
                if (!connected) {
                    return CompletableFuture.completedFuture(null);
                }
                connected = false;
                id = clientId;
                online.remove(id, this);
                forgetCleanSession(id);
            }
            delivery.execute(() -> connectionListener.onDisconnected(id));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isConnected() {
            synchronized (lock) {
                return connected;
            }
        }

        @Override
        public void close() {
            disconnect();
        }

        void deliver(String topic, byte[] payload, Qos qos) {
            TransportListener l = listener;
            delivery.execute(() -> l.messageArrived(topic, payload.clone(), qos, false));
        }

        void lost(Throwable cause) {
            String id;
            TransportListener l;
            synchronized (lock) {
                if (!connected) {
                    return;
                }
                connected = false;
                id = clientId;
                l = listener;
                online.remove(id, this);
                forgetCleanSession(id);
            }
            delivery.execute(() -> {
                connectionListener.onDisconnected(id);
                l.connectionLost(cause);
            });
        }

        private void forgetCleanSession(String id) {
            Session s = sessions.get(id);
            if (s != null && !s.kept) {
                sessions.remove(id);
            }
        }
    }
}
