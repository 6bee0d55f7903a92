package dev.iotdm.transport.paho;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.PublishRefusedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SerialExecutor;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import dev.iotdm.transport.paho.internal.PahoClient;
import dev.iotdm.transport.paho.internal.PahoExecutor;
import dev.iotdm.transport.paho.internal.PahoTranslation;
import dev.iotdm.transport.paho.internal.SocketModule;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport SPI on Eclipse Paho's MQTT 5 client ({@code MqttAsyncClient}): a translator
 * between Paho and {@link MqttTransport}, with no protocol logic of its own.
 *
 * <p><b>MQTT 5 only.</b> {@link #connect} refuses options for MQTT 3.1.1 with an
 * {@link IllegalArgumentException}; 3.1.1 users (the platform's own version, protocol.md §1.6)
 * take the Netty transport. What it sets up on each connect:
 * <ul>
 *   <li>a new {@code MqttAsyncClient} with in-memory persistence (Paho's default file
 *       persistence would write into the working directory), Paho's automatic reconnect off
 *       (reconnecting is the core's connection supervisor's job: it calls {@code connect} again on
 *       this instance), clean start, session expiry and keep-alive from the options;</li>
 *   <li>its own socket instead of Paho's network modules: {@code TCP_NODELAY} on (Paho leaves
 *       Nagle on, about 40 ms per round trip), TLS layered with the options'
 *       {@link dev.iotdm.transport.tls.TlsSettings}, so protocols, SNI and host name verification
 *       are exactly theirs, and a guard against a Paho 1.2.5 bug that leaks a thread when a
 *       connection dies while Paho is still starting it;</li>
 *   <li>a connect timeout covering TCP, TLS and CONNACK ({@link MqttConnectOptions#connectTimeout()});
 *       Paho's own timeout counts whole seconds and does not cover the CONNACK.</li>
 * </ul>
 * Publishes are never retained; QoS 1 completes on PUBACK and fails with
 * {@link PublishRefusedException} for a PUBACK reason code of 0x80 or more.
 *
 * <p><b>Threads.</b> Each transport owns one executor ({@code iotdm-paho-<n>-*} daemon threads,
 * started on demand) that Paho runs its loops on. Listener calls and future completions run on
 * the thread that saw the event (Paho's callback thread for messages, acks and the CONNACK; the
 * timer for a connect timeout; the caller or the teardown for a disconnect), with no hand-off of
 * their own: the client's listener hands straight to its session's serial executor, the one
 * hand-off between the socket and the session. A {@link SerialExecutor} over a direct executor
 * keeps them one at a time and in the order Paho saw the events (a connect result precedes the
 * messages after its CONNACK, pending futures fail before {@link TransportListener#connectionLost})
 * without making any thread wait. Listeners and continuations therefore run on Paho's threads:
 * they must return quickly and never wait for this transport (as the SPI says), but may call it.
 * A QoS 1 message is acknowledged after {@link TransportListener#messageArrived} returned (Paho's
 * manual acks). {@link #close()} waits, for at most about 6 s, for the disconnect and for every
 * thread to end; called from a listener or continuation it cannot wait for its own thread, so it
 * returns at once and the teardown finishes in the background within the same bound.
 *
 * <p>Thread-safety: safe for concurrent use by multiple threads.
 */
public final class PahoTransport implements MqttTransport {

    private static final Logger LOG = LoggerFactory.getLogger(PahoTransport.class);

    static { dev.iotdm.transport.paho.internal.PahoLogging.install(); } // before any Paho object looks its logger up (issue #10: secrets)

    /** The versions Paho's v5 client speaks. */
    static final Set<MqttVersion> VERSIONS = Set.of(MqttVersion.MQTT_5);

    /** How long {@link #close()} waits for the disconnect, and then for the threads. */
    static final long SHUTDOWN_WAIT_SECONDS = 5;

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Consumer<Socket> socketObserver;
    private final PahoExecutor executor;
    /** Orders listener calls and completions, run on the thread that saw the event. */
    private final SerialExecutor deliveries = new SerialExecutor(Runnable::run);

    private final Object lock = new Object();
    /** The connection being opened or open; null when idle. Guarded by {@link #lock}. */
    private Connection current;
    /** Connections whose Paho client is not closed yet. Guarded by {@link #lock}. */
    private final Set<Connection> unreleased = new HashSet<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /** A new, disconnected transport; it starts no thread until {@link #connect}. */
    public PahoTransport() {
        this(socket -> { });
    }

    /** A transport that shows every socket it creates to {@code socketObserver} (for tests). */
    PahoTransport(Consumer<Socket> socketObserver) {
        this.socketObserver = Objects.requireNonNull(socketObserver, "socketObserver");
        this.executor = new PahoExecutor("iotdm-paho-" + SEQUENCE.incrementAndGet());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the options ask for MQTT 3.1.1, which Paho's v5 client
     *         does not speak: use the Netty transport for 3.1.1
     */
    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        if (options.version() != MqttVersion.MQTT_5) {
            throw new IllegalArgumentException("the Paho transport speaks MQTT 5 only, but the options ask for "
                    + options.version() + "; use the Netty transport (transport-netty) for MQTT 3.1.1");
        }
        Connection connection;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the transport is closed"));
            }
            if (current != null) {
                return CompletableFuture.failedFuture(new IllegalStateException("connect called while "
                        + (current.phase == Phase.CONNECTING ? "connecting" : "connected")
                        + "; disconnect first"));
            }
            connection = new Connection(options, listener);
            current = connection;
            unreleased.add(connection);
        }
        connection.start();
        return connection.connected;
    }

    @Override
    public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
        Objects.requireNonNull(subscriptions, "subscriptions");
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty");
        }
        MqttSubscription[] filters = new MqttSubscription[subscriptions.size()];
        for (int i = 0; i < filters.length; i++) {
            Subscription s = Objects.requireNonNull(subscriptions.get(i), "subscriptions[" + i + "]");
            filters[i] = new MqttSubscription(s.topicFilter(), s.qos().code());
        }
        CompletableFuture<List<SubscribeResult>> result = new CompletableFuture<>();
        Connection c = open(result, "subscribe");
        if (c != null) {
            c.subscribe(filters, result);
        }
        return result;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        MqttTransport.checkPublish(topic, payload, qos);
        CompletableFuture<Void> result = new CompletableFuture<>();
        Connection c = open(result, "publish to '" + topic + "'");
        if (c != null) {
            c.publish(topic, payload, qos, result);
        }
        return result;
    }

    /** The open connection with {@code result} registered as pending, or null after failing it. */
    private Connection open(CompletableFuture<?> result, String what) {
        synchronized (lock) {
            if (closed) {
                result.completeExceptionally(new IllegalStateException(what + ": the transport is closed"));
                return null;
            }
            Connection c = current;
            if (c == null || c.phase != Phase.CONNECTED) {
                result.completeExceptionally(new NotConnectedException(what + ": not connected"));
                return null;
            }
            c.pending.add(result);
            return c;
        }
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        Connection c;
        Phase was;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the transport is closed"));
            }
            c = current;
            if (c == null) {
                return CompletableFuture.completedFuture(null);
            }
            current = null;
            was = c.end(true);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        c.release(was, "disconnect() was called").whenComplete((ok, err) -> deliver(() -> done.complete(null)));
        return done;
    }

    /**
     * The broker's Receive Maximum less the QoS 1 publishes Paho has in flight; 0 when not
     * connected. Beyond it Paho refuses a publish (its 32202), which fails as
     * {@link dev.iotdm.transport.WindowFullException}.
     */
    @Override
    public int inFlightCapacity() {
        Connection c;
        synchronized (lock) {
            c = current;
            if (c == null || c.phase != Phase.CONNECTED || c.client == null) {
                return 0;
            }
        }
        return Math.max(0, c.window - c.client.getInFlightMessageCount());
    }

    /** MQTT 5 only: Paho's v5 client does not speak 3.1.1. */
    @Override
    public Set<MqttVersion> supportedVersions() {
        return VERSIONS;
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return current != null && current.phase == Phase.CONNECTED;
        }
    }

    @Override
    public void close() {
        Connection c;
        Phase was = null;
        List<Connection> ending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
            current = null;
            if (c != null) {
                was = c.end(true);
            }
            ending = new ArrayList<>(unreleased);
        }
        if (c != null) {
            c.release(was, "the transport was closed");
        }
        // Paho 1.2.5 leaves its threads running if close() overtakes a disconnect still in
        // progress, so every Paho client is closed only after its disconnect finished (release
        // does that); here we wait for those releases, bounded.
        if (executor.isOwnThread()) {
            // Called from a listener or continuation on a Paho thread: the teardown may need this
            // very thread (Paho's callback thread completes the DISCONNECT), so it must not wait
            // here; the executor shuts down once the releases are done, within the same bound.
            CompletableFuture.allOf(ending.stream().map(e -> e.released).toArray(CompletableFuture[]::new))
                    .orTimeout(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((ok, err) -> {
                        ending.forEach(e -> e.failPending(new NotConnectedException("the transport was closed")));
                        executor.shutdown();
                    });
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
        for (Connection e : ending) {
            awaitQuietly(e.released, deadline);
            e.failPending(new NotConnectedException("the transport was closed"));
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
                if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                    LOG.warn("{} thread(s) of the Paho transport did not end within {} s of close(): {}",
                            executor.liveThreads().size(), SHUTDOWN_WAIT_SECONDS + 1, describe(executor.liveThreads()));
                }
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "PahoTransport[" + (closed ? "closed" : current == null ? "disconnected"
                    : current.phase.name().toLowerCase(Locale.ROOT) + " to " + current.options.host()
                    + ":" + current.options.port()) + "]";
        }
    }

    /** Runs a listener call or future completion now, or after the one running on another thread. */
    private void deliver(Runnable task) {
        deliveries.execute(task);
    }

    private static String describe(List<Thread> threads) {
        StringBuilder text = new StringBuilder();
        for (Thread t : threads) {
            text.append("\n  ").append(t.getName()).append(" (").append(t.getState()).append(')');
            for (StackTraceElement e : t.getStackTrace()) {
                text.append("\n    at ").append(e);
            }
        }
        return text.toString();
    }

    private static void awaitQuietly(CompletableFuture<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("a Paho client was not released in time: {}", e.toString());
        }
    }

    /** The life of one connect attempt, as this transport sees it. */
    private enum Phase {
        /** TCP, TLS or CONNACK still to come. */
        CONNECTING,
        /** CONNACK accepted; publish and subscribe allowed. */
        CONNECTED,
        /** Failed, timed out, lost, disconnected or closed; only teardown remains. */
        ENDED
    }

    /**
     * One connect attempt and, if it succeeds, the connection: owns its Paho client, its pending
     * futures and the translation of Paho's callbacks. {@link #phase} and {@link #endedByUser}
     * are guarded by the transport's lock.
     */
    private final class Connection implements MqttCallback {
        final MqttConnectOptions options;
        final TransportListener listener;
        final CompletableFuture<ConnectResult> connected = new CompletableFuture<>();
        final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
        /** Completes once the Paho client is closed. */
        final CompletableFuture<Void> released = new CompletableFuture<>();
        /** Completes when Paho has finished the connect, either way: its connecting thread is done. */
        final CompletableFuture<Void> pahoDone = new CompletableFuture<>();
        final SocketModule module;
        /** Set in {@link #start()}, under the lock, while still connecting; null if never made. */
        volatile MqttAsyncClient client;
        volatile ScheduledFuture<?> timeout;
        Phase phase = Phase.CONNECTING;
        /** The in-flight window: the broker's Receive Maximum from the CONNACK. */
        volatile int window = 65535;
        volatile boolean endedByUser;
        private boolean releasing;

        Connection(MqttConnectOptions options, TransportListener listener) {
            this.options = options;
            this.listener = listener;
            this.module = new SocketModule(options.host(), options.port(), options.tls(), options.connectTimeout(),
                    socketObserver);
        }

        /** Ends this connection in the transport's state; returns the phase it was in. Holds the lock. */
        Phase end(boolean byUser) {
            Phase was = phase;
            phase = Phase.ENDED;
            endedByUser |= byUser;
            return was;
        }

        void start() {
            MqttAsyncClient c;
            try {
                c = new PahoClient(module, options.clientId(), executor);
                c.setCallback(this);
                c.setManualAcks(true);
                boolean abandoned;
                synchronized (lock) {
                    // disconnect() or close() may have ended the attempt already; a client made
                    // after that is never handed to release(), so it is closed here.
                    abandoned = phase != Phase.CONNECTING;
                    if (!abandoned) {
                        client = c;
                    }
                }
                if (abandoned) {
                    pahoDone.complete(null);
                    closeClient(c);
                    return;
                }
                timeout = executor.schedule(this::timedOut, options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
                c.connect(pahoOptions(), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        pahoDone.complete(null);
                        Integer receiveMaximum = token.getResponseProperties() == null ? null
                                : token.getResponseProperties().getReceiveMaximum();
                        // The broker's Receive Maximum is the window Paho enforces (65535 when absent).
                        window = receiveMaximum == null ? 65535 : receiveMaximum;
                        connectSucceeded(token.getSessionPresent());
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        pahoDone.complete(null);
                        connectFailed(new ConnectFailureException(
                                PahoTranslation.connectFailure(error, options, module.waitingFor()), error));
                    }
                });
            } catch (MqttException | RuntimeException e) {
                pahoDone.complete(null);
                connectFailed(new ConnectFailureException(
                        PahoTranslation.connectFailure(e, options, module.waitingFor()), e));
            }
        }

        private MqttConnectionOptions pahoOptions() {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(options.cleanSession());
            o.setSessionExpiryInterval(options.sessionExpiry().toSeconds());
            o.setKeepAliveInterval((int) options.keepAlive().toSeconds());
            // Sockets, TLS and the connect timeout are SocketModule's and this class's own, so
            // Paho's socket factory, SSL and timeout options stay unused.
            o.setAutomaticReconnect(false);
            options.username().ifPresent(o::setUserName);
            options.password().ifPresent(p -> o.setPassword(dev.iotdm.transport.paho.internal.PahoLogging.secret(o, p.revealUtf8())));
            return o;
        }

        private void connectSucceeded(boolean sessionPresent) {
            synchronized (lock) {
                if (phase != Phase.CONNECTING) {
                    return; // timed out or abandoned meanwhile; release() tears the client down
                }
                phase = Phase.CONNECTED;
            }
            cancelTimeout();
            deliver(() -> connected.complete(new ConnectResult(sessionPresent)));
        }

        private void connectFailed(ConnectFailureException failure) {
            synchronized (lock) {
                if (phase != Phase.CONNECTING) {
                    return;
                }
                end(false);
                if (current == this) {
                    current = null;
                }
            }
            cancelTimeout();
            deliver(() -> connected.completeExceptionally(failure));
            release(Phase.CONNECTING, "the connect attempt failed");
        }

        private void timedOut() {
            connectFailed(new ConnectFailureException(new ConnectFailure.TimedOut(options.connectTimeout(),
                    module.waitingFor())));
        }

        private void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }

        void subscribe(MqttSubscription[] filters, CompletableFuture<List<SubscribeResult>> result) {
            try {
                client.subscribe(filters, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        int[] codes = token.getReasonCodes();
                        deliver(() -> {
                            pending.remove(result);
                            try {
                                result.complete(PahoTranslation.subscribeResults(codes, filters.length));
                            } catch (IllegalStateException e) {
                                result.completeExceptionally(e);
                            }
                        });
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        fail(result, failure("subscribe", error));
                    }
                }, new MqttProperties());
            } catch (MqttException | RuntimeException e) {
                fail(result, failure("subscribe", e));
            }
        }

        void publish(String topic, byte[] payload, Qos qos, CompletableFuture<Void> result) {
            String what = "publish to '" + topic + "'";
            try {
                client.publish(topic, payload, qos.code(), false, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        OptionalInt refused = PahoTranslation.pubackRefusal(token.getReasonCodes());
                        deliver(() -> {
                            pending.remove(result);
                            if (refused.isPresent()) {
                                result.completeExceptionally(new PublishRefusedException(topic, refused.getAsInt()));
                            } else {
                                result.complete(null);
                            }
                            if (qos == Qos.AT_LEAST_ONCE) {
                                listener.onWritable(); // the PUBACK returned a slot of the window
                            }
                        });
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        fail(result, failure(what, error));
                    }
                });
            } catch (MqttException | RuntimeException e) {
                fail(result, failure(what, e));
            }
        }

        /** A failed operation: NotConnectedException once this connection has ended, whatever Paho said. */
        private Exception failure(String what, Throwable error) {
            synchronized (lock) {
                if (phase != Phase.CONNECTED) {
                    return new NotConnectedException(what + " failed: the connection ended", error);
                }
            }
            return PahoTranslation.operationFailure(what, error);
        }

        private void fail(CompletableFuture<?> result, Throwable error) {
            deliver(() -> {
                pending.remove(result);
                result.completeExceptionally(error);
            });
        }

        /** Fails every future still waiting for the broker. Idempotent. */
        void failPending(NotConnectedException error) {
            for (CompletableFuture<?> f : pending) {
                pending.remove(f);
                f.completeExceptionally(error);
            }
        }

        /**
         * Tears the Paho client down, once: sends DISCONNECT and waits (bounded) for Paho to
         * finish it when the connection was up, abandons a connect in progress, then closes the
         * client. Runs on the transport's executor.
         *
         * @param was the phase before the connection ended
         * @param why why it ended, for pending futures
         * @return completes when the client is closed
         */
        CompletableFuture<Void> release(Phase was, String why) {
            synchronized (lock) {
                if (releasing) {
                    return released;
                }
                releasing = true;
            }
            cancelTimeout();
            if (was == Phase.CONNECTING) {
                deliver(() -> connected.completeExceptionally(new ConnectFailureException(
                        new ConnectFailure.Other(-1, why + " before the connection was established"))));
                // Paho must not be stopped while it is still starting its loops (SocketModule):
                // closing the socket makes it fail the connect by itself.
                module.abort();
            }
            Runnable teardown = () -> {
                try {
                    MqttAsyncClient c = client;
                    if (c != null) {
                        awaitQuietly(pahoDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS));
                        if (was == Phase.CONNECTED && endedByUser) {
                            sendDisconnect(c);
                        }
                        closeClient(c);
                    }
                } finally {
                    NotConnectedException error = new NotConnectedException(why);
                    deliver(() -> failPending(error));
                    synchronized (lock) {
                        unreleased.remove(this);
                    }
                    released.complete(null);
                }
            };
            try {
                executor.execute(teardown);
            } catch (RejectedExecutionException e) {
                teardown.run(); // the transport is closed already: tear down here
            }
            return released;
        }

        private void sendDisconnect(MqttAsyncClient c) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                c.disconnect(0, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        done.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        done.complete(null);
                    }
                }, MqttReturnCode.RETURN_CODE_SUCCESS, new MqttProperties());
                done.get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (MqttException e) {
                LOG.debug("DISCONNECT not sent: {}", e.toString()); // already gone: nothing to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("Paho did not finish the disconnect in time: {}", e.toString());
            }
        }

        /** Closes the client; a client that is still connecting or connected is cut off first. */
        private void closeClient(MqttAsyncClient c) {
            try {
                c.close(true);
                return;
            } catch (MqttException e) {
                LOG.debug("Paho client not closable yet ({}); cutting it off", e.toString());
            }
            try {
                c.disconnectForcibly(0, 0, false);
            } catch (MqttException e) {
                LOG.debug("forced disconnect failed: {}", e.toString());
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                LOG.debug("Paho client did not close: {}", e.toString());
            }
        }

        // ---- MqttCallback: Paho's threads --------------------------------------------------

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            MqttAsyncClient c = client;
            byte[] payload = message.getPayload();
            int qos = message.getQos();
            int id = message.getId();
            boolean duplicate = message.isDuplicate();
            deliver(() -> {
                if (endedByUser) {
                    return; // disconnect() or close() was called: no more deliveries, no ack
                }
                try {
                    listener.messageArrived(topic, payload, PahoTranslation.inboundQos(qos), duplicate);
                } catch (RuntimeException e) {
                    LOG.warn("the transport listener threw on a message on {}; acknowledged anyway", topic, e);
                }
                if (qos > 0) {
                    try {
                        c.messageArrivedComplete(id, qos);
                    } catch (MqttException | RuntimeException e) {
                        LOG.debug("no PUBACK for message {} on {}: {}", id, topic, e.toString());
                    }
                }
            });
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            synchronized (lock) {
                if (phase != Phase.CONNECTED) {
                    return;
                }
                end(false);
                if (current == this) {
                    current = null;
                }
            }
            Throwable cause = PahoTranslation.lossCause(response);
            deliver(() -> {
                failPending(new NotConnectedException("the connection was lost", cause));
                if (!endedByUser) {
                    try {
                        listener.connectionLost(cause);
                    } catch (RuntimeException e) {
                        LOG.warn("the transport listener threw on connectionLost", e);
                    }
                }
            });
            release(Phase.CONNECTED, "the connection was lost");
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.debug("Paho reported an MQTT error on {}: {}", options.clientId(), exception.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // publish futures complete through their action listeners
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // the connect future completes through its action listener
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication is used
        }
    }
}
