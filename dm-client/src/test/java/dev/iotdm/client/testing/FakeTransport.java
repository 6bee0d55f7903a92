package dev.iotdm.client.testing;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
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
import dev.iotdm.transport.WindowFullException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * An {@link MqttTransport} the test drives by hand, playing broker and platform: it records every
 * connect, subscribe and publish, and completes them only when the test says so (CONNACK with
 * session present, SUBACK grants or refusals, PUBACK). Deliveries, completions and connection
 * losses happen on one dedicated thread named {@value #IO_THREAD}, like a real transport's I/O
 * thread, so tests can assert that application callbacks never run there.
 *
 * <p>Every test-side call that makes the transport do something ({@link ConnectAttempt#accept},
 * {@link #deliver}, {@link #dropConnection}...) returns once the I/O thread has finished the
 * listener or future callbacks it triggered; with a direct executor under the session, the
 * session's reaction is then complete too. Every wait ({@link #nextConnect()},
 * {@link #nextPublish(String)}...) has a timeout and fails with what was seen instead.
 *
 * <p>It follows the SPI contract ({@link MqttTransport}): publish and subscribe while not
 * connected fail with {@link NotConnectedException}; a lost connection fails pending publishes
 * and subscribes first, then calls {@link TransportListener#connectionLost}; {@link #disconnect()}
 * calls no listener.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class FakeTransport implements MqttTransport {

    /** The name of the thread that plays the transport's I/O thread. */
    public static final String IO_THREAD = "fake-transport-io";

    /** How long test-side waits last before they fail. */
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, IO_THREAD);
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final List<ConnectAttempt> connects = new ArrayList<>();
    private final List<SubscribeCall> subscribes = new ArrayList<>();
    private final List<Published> publishes = new ArrayList<>();
    private int connectsTaken;
    private int subscribesTaken;
    private int disconnects;
    private int connection;
    private TransportListener listener;
    private boolean connected;
    private boolean connecting;
    private boolean closed;
    private boolean autoAck;
    private volatile Set<MqttVersion> versions = EnumSet.allOf(MqttVersion.class);
    private int window = Integer.MAX_VALUE;

    /** A transport with nothing recorded, not connected. */
    public FakeTransport() {
    }

    /** Declares that this transport speaks only these versions (default: both). */
    public FakeTransport speaking(MqttVersion first, MqttVersion... more) {
        versions = EnumSet.of(first, more);
        return this;
    }

    /** Gives this transport an in-flight window of {@code size} QoS 1 publishes (default: none). */
    public FakeTransport window(int size) {
        synchronized (lock) {
            window = size;
        }
        return this;
    }

    @Override
    public int inFlightCapacity() {
        synchronized (lock) {
            if (!connected) {
                return 0;
            }
            return window == Integer.MAX_VALUE ? window : Math.max(0, window - inFlight());
        }
    }

    /** QoS 1 publishes on the current connection not yet acknowledged or failed. Holds the lock. */
    private int inFlight() {
        int n = 0;
        for (Published p : publishes) {
            if (p.onConnection == connection && p.qos == Qos.AT_LEAST_ONCE && !p.future.isDone()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public Set<MqttVersion> supportedVersions() {
        return versions;
    }

    // ---- MqttTransport ------------------------------------------------------------------------

    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener l) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(l, "listener");
        synchronized (lock) {
            if (closed || connected || connecting) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "connect while " + (closed ? "closed" : connected ? "connected" : "connecting")));
            }
            connecting = true;
            ConnectAttempt attempt = new ConnectAttempt(options, l, connects.size() + 1);
            connects.add(attempt);
            lock.notifyAll();
            return attempt.future;
        }
    }

    @Override
    public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty");
        }
        synchronized (lock) {
            if (!connected) {
                return CompletableFuture.failedFuture(new NotConnectedException("subscribe while not connected"));
            }
            SubscribeCall call = new SubscribeCall(List.copyOf(subscriptions), connection);
            subscribes.add(call);
            lock.notifyAll();
            return call.future;
        }
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("not a topic name: '" + topic + "'");
        }
        Published p;
        synchronized (lock) {
            if (!connected) {
                return CompletableFuture.failedFuture(new NotConnectedException("publish while not connected"));
            }
            if (qos == Qos.AT_LEAST_ONCE && window != Integer.MAX_VALUE && inFlight() >= window) {
                // Like a real transport: beyond the window nothing is written and nothing queued.
                return CompletableFuture.failedFuture(new WindowFullException("the window of " + window + " is full"));
            }
            p = new Published(topic, payload.clone(), qos, connection, publishes.size() + 1);
            publishes.add(p);
            lock.notifyAll();
            if (!autoAck) {
                return p.future;
            }
        }
        io.execute(() -> p.future.complete(null));
        return p.future;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<CompletableFuture<?>> pending;
        synchronized (lock) {
            disconnects++;
            pending = endConnection();
            lock.notifyAll();
        }
        execute(() -> {
            failAll(pending, new NotConnectedException("disconnected"));
            done.complete(null);
        });
        return done;
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return connected;
        }
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> pending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            pending = endConnection();
            lock.notifyAll();
        }
        execute(() -> failAll(pending, new NotConnectedException("closed")));
        io.shutdown();
    }

    // ---- the test's side ----------------------------------------------------------------------

    /** Makes every publish complete (PUBACK) as soon as it is made, on the I/O thread. */
    public FakeTransport autoAcknowledgePublishes(boolean on) {
        synchronized (lock) {
            autoAck = on;
        }
        return this;
    }

    /** The next connect attempt not yet taken by the test, waiting for it up to {@link #WAIT}. */
    public ConnectAttempt nextConnect() {
        synchronized (lock) {
            awaitCondition(() -> connects.size() > connectsTaken, () -> "a connect attempt (saw " + connects.size()
                    + ", all taken)");
            return connects.get(connectsTaken++);
        }
    }

    /** The next SUBSCRIBE not yet taken by the test, waiting for it up to {@link #WAIT}. */
    public SubscribeCall nextSubscribe() {
        synchronized (lock) {
            awaitCondition(() -> subscribes.size() > subscribesTaken, () -> "a SUBSCRIBE (saw " + subscribes.size()
                    + ", all taken)");
            return subscribes.get(subscribesTaken++);
        }
    }

    /**
     * Accepts the next connect attempt and grants every filter of the SUBSCRIBE that follows: the
     * usual way to bring a client up.
     */
    public void acceptConnectAndSubscribe(boolean sessionPresent) {
        nextConnect().accept(sessionPresent);
        nextSubscribe().grantAll();
    }

    /**
     * The first publish on {@code topic} not yet taken by the test, waiting for it up to
     * {@link #WAIT}.
     */
    public Published nextPublish(String topic) {
        return nextPublish(p -> p.topic().equals(topic), "a publish on " + topic);
    }

    /** The first publish matching {@code which} not yet taken, waiting for it up to {@link #WAIT}. */
    public Published nextPublish(Predicate<Published> which, String description) {
        synchronized (lock) {
            awaitCondition(() -> firstUntaken(which).isPresent(),
                    () -> description + "; publishes so far: " + publishes);
            Published p = firstUntaken(which).orElseThrow();
            p.taken = true;
            return p;
        }
    }

    /** Every publish on {@code topic} so far, taken or not, oldest first. */
    public List<Published> publishes(String topic) {
        synchronized (lock) {
            return publishes.stream().filter(p -> p.topic().equals(topic)).toList();
        }
    }

    /** Every publish so far, oldest first. */
    public List<Published> publishes() {
        synchronized (lock) {
            return List.copyOf(publishes);
        }
    }

    /** How many connect attempts were made. */
    public int connectAttempts() {
        synchronized (lock) {
            return connects.size();
        }
    }

    /** How many times {@link #disconnect()} was called. */
    public int disconnectCalls() {
        synchronized (lock) {
            return disconnects;
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Delivers a message (QoS 1) on the current connection from the I/O thread. */
    public void deliver(String topic, String payload) {
        TransportListener l;
        synchronized (lock) {
            if (!connected) {
                throw new AssertionError("cannot deliver on " + topic + ": not connected");
            }
            l = listener;
        }
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        runOnIo(() -> l.messageArrived(topic, bytes, Qos.AT_LEAST_ONCE, false));
    }

    /** Plays the platform answering a device request: {@code {"rc":rc,"reqId":<its reqId>}}. */
    public void respond(Published request, int rc) {
        deliver("iotdm-1/response", "{\"rc\":" + rc + ",\"reqId\":\"" + request.reqId() + "\"}");
    }

    /** Plays the platform refusing a device request with a message. */
    public void respond(Published request, int rc, String message) {
        deliver("iotdm-1/response", JsonObject.builder().put("rc", rc).put("reqId", request.reqId())
                .put("message", message).build().toJson());
    }

    /**
     * Ends the connection as a broker or network would: pending publishes and subscribes fail with
     * {@link NotConnectedException}, then the listener hears {@code connectionLost}, all on the
     * I/O thread.
     */
    public void dropConnection(String reason) {
        TransportListener l;
        List<CompletableFuture<?>> pending;
        synchronized (lock) {
            if (!connected) {
                throw new AssertionError("cannot drop the connection: not connected");
            }
            l = listener;
            pending = endConnection();
            lock.notifyAll();
        }
        IOException cause = new IOException(reason);
        runOnIo(() -> {
            failAll(pending, new NotConnectedException("connection lost", cause));
            l.connectionLost(cause);
        });
    }

    // ---- recorded calls -----------------------------------------------------------------------

    /** One call of {@link #connect}, waiting for the test to answer it. */
    public final class ConnectAttempt {
        private final MqttConnectOptions options;
        private final TransportListener attemptListener;
        private final int number;
        private final CompletableFuture<ConnectResult> future = new CompletableFuture<>();

        private ConnectAttempt(MqttConnectOptions options, TransportListener listener, int number) {
            this.options = options;
            this.attemptListener = listener;
            this.number = number;
        }

        /** The options the client connected with. */
        public MqttConnectOptions options() {
            return options;
        }

        /** 1 for the first attempt of this transport, and so on. */
        public int number() {
            return number;
        }

        /** CONNACK 0: the connection is up, with this session-present flag. */
        public void accept(boolean sessionPresent) {
            synchronized (lock) {
                requireOpenAttempt();
                connecting = false;
                connected = true;
                connection++;
                listener = attemptListener;
            }
            runOnIo(() -> future.complete(new ConnectResult(sessionPresent)));
        }

        /** The broker refused: the attempt fails with a {@link ConnectFailureException}. */
        public void refuse(ConnectFailure failure) {
            fail(new ConnectFailureException(failure));
        }

        /** The attempt fails with this cause. */
        public void fail(Throwable cause) {
            synchronized (lock) {
                requireOpenAttempt();
                connecting = false;
            }
            runOnIo(() -> future.completeExceptionally(cause));
        }

        private void requireOpenAttempt() {
            if (future.isDone()) {
                throw new AssertionError("connect attempt " + number + " was answered already");
            }
        }
    }

    /** One SUBSCRIBE, waiting for the test's SUBACK. */
    public final class SubscribeCall {
        private final List<Subscription> subscriptions;
        private final int onConnection;
        private final CompletableFuture<List<SubscribeResult>> future = new CompletableFuture<>();

        private SubscribeCall(List<Subscription> subscriptions, int onConnection) {
            this.subscriptions = subscriptions;
            this.onConnection = onConnection;
        }

        /** The filters asked for, in order. */
        public List<Subscription> subscriptions() {
            return subscriptions;
        }

        /** The filters asked for, in order, as text. */
        public List<String> filters() {
            return subscriptions.stream().map(Subscription::topicFilter).toList();
        }

        /** Which connection of this transport it was made on (1, 2, ...). */
        public int connection() {
            return onConnection;
        }

        /** SUBACK granting every filter at the QoS asked for. */
        public void grantAll() {
            answer(subscriptions.stream().map(s -> (SubscribeResult) new SubscribeResult.Granted(s.qos())).toList());
        }

        /** SUBACK refusing (0x80) the filter {@code refused} and granting the others. */
        public void refuse(String refused) {
            if (!filters().contains(refused)) {
                throw new AssertionError(refused + " was not asked for: " + filters());
            }
            answer(subscriptions.stream().map(s -> s.topicFilter().equals(refused)
                    ? (SubscribeResult) new SubscribeResult.Refused(0x80)
                    : new SubscribeResult.Granted(s.qos())).toList());
        }

        /** SUBACK with these results, one per filter. */
        public void answer(List<SubscribeResult> results) {
            runOnIo(() -> future.complete(List.copyOf(results)));
        }
    }

    /** One PUBLISH the client made. */
    public final class Published {
        private final String topic;
        private final byte[] payload;
        private final Qos qos;
        private final int onConnection;
        private final int number;
        private final CompletableFuture<Void> future = new CompletableFuture<>();
        private boolean taken;

        private Published(String topic, byte[] payload, Qos qos, int onConnection, int number) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.onConnection = onConnection;
            this.number = number;
        }

        /** The topic. */
        public String topic() {
            return topic;
        }

        /** A copy of the payload. */
        public byte[] payload() {
            return payload.clone();
        }

        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The payload as a JSON object. */
        public JsonObject json() {
            return (JsonObject) JsonValue.parse(payload);
        }

        /**
         * The value at a dotted path in the payload, e.g. {@code d.fields.0.value.state}, as JSON
         * text ({@code 3600}, {@code true}, {@code "abc"}, {@code {...}}), or empty when absent.
         */
        public Optional<String> find(String path) {
            JsonValue v = json();
            for (String step : path.split("\\.")) {
                if (v instanceof JsonObject o) {
                    Optional<JsonValue> next = o.get(step);
                    if (next.isEmpty()) {
                        return Optional.empty();
                    }
                    v = next.get();
                } else if (v instanceof JsonArray a && step.chars().allMatch(Character::isDigit)
                        && Integer.parseInt(step) < a.elements().size()) {
                    v = a.elements().get(Integer.parseInt(step));
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(v.toJson());
        }

        /** Like {@link #find(String)}, failing with the payload when the path is absent. */
        public String at(String path) {
            return find(path).orElseThrow(() -> new AssertionError("no " + path + " in " + this));
        }

        /** The string at a dotted path, failing when it is absent or not a string. */
        public String string(String path) {
            JsonValue v = JsonValue.parse(at(path));
            if (v instanceof JsonString s) {
                return s.value();
            }
            throw new AssertionError(path + " is not a string in " + this);
        }

        /** The payload's {@code reqId}. */
        public String reqId() {
            return json().get("reqId").map(v -> ((JsonString) v).value())
                    .orElseThrow(() -> new AssertionError("no reqId in " + this));
        }

        /** The QoS it was published with. */
        public Qos qos() {
            return qos;
        }

        /** Which connection of this transport it went out on (1, 2, ...). */
        public int connection() {
            return onConnection;
        }

        /** PUBACK: the publish future completes, on the I/O thread, and the window has room again. */
        public void ack() {
            runOnIo(() -> {
                future.complete(null);
                TransportListener l;
                synchronized (lock) {
                    l = onConnection == connection ? listener : null;
                }
                if (l != null) {
                    l.onWritable();
                }
            });
        }

        /** The broker did not take it: the publish future fails with this cause, on the I/O thread. */
        public void fail(Throwable cause) {
            runOnIo(() -> future.completeExceptionally(cause));
        }

        /** Whether the publish future has completed. */
        public boolean isAcknowledged() {
            return future.isDone() && !future.isCompletedExceptionally();
        }

        @Override
        public String toString() {
            return "#" + number + " " + topic + " " + text();
        }
    }

    // ---- internals ----------------------------------------------------------------------------

    /** Ends the current connection; returns the futures to fail. Holds the lock. */
    private List<CompletableFuture<?>> endConnection() {
        connected = false;
        connecting = false;
        listener = null;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (SubscribeCall s : subscribes) {
            if (!s.future.isDone()) {
                pending.add(s.future);
            }
        }
        for (Published p : publishes) {
            if (!p.future.isDone()) {
                pending.add(p.future);
            }
        }
        return pending;
    }

    private static void failAll(List<CompletableFuture<?>> futures, Throwable cause) {
        for (CompletableFuture<?> f : futures) {
            f.completeExceptionally(cause);
        }
    }

    private Optional<Published> firstUntaken(Predicate<Published> which) {
        return publishes.stream().filter(p -> !p.taken && which.test(p)).findFirst();
    }

    /** Waits (holding the lock) until the condition holds, at most {@link #WAIT}. */
    private void awaitCondition(java.util.function.BooleanSupplier condition,
            java.util.function.Supplier<String> expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + WAIT + " for " + expected.get());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + expected.get(), e);
            }
        }
    }

    /** Runs on the I/O thread without waiting (or right here when already on it). */
    private void execute(Runnable task) {
        if (Thread.currentThread().getName().equals(IO_THREAD)) {
            task.run();
        } else if (!io.isShutdown()) {
            io.execute(task);
        }
    }

    /** Runs on the I/O thread and waits until it returned, at most {@link #WAIT}. */
    private void runOnIo(Runnable task) {
        if (Thread.currentThread().getName().equals(IO_THREAD)) {
            task.run();
            return;
        }
        try {
            io.submit(task).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted on the transport thread", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the transport thread failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the transport thread did not finish within " + WAIT
                    + " (a listener blocked it?)", e);
        }
    }
}
